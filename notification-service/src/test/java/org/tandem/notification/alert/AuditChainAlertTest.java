package org.tandem.notification.alert;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestInfrastructure;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service's report of a broken audit chain on tandem.audit-anchors.v1 becomes a coordinator alert; anchors and
 * malformed reports do not (docs/privacy.md, "Audit trust model").
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class AuditChainAlertTest {

    @Test
    void a_broken_chain_report_is_a_coordinator_alert_and_an_anchor_or_a_malformed_report_is_not() throws Exception {
        String service = "test-service-" + System.nanoTime();
        // as the stack's admin, over TLS and SCRAM like every client of the secured broker
        try (var producer = new KafkaProducer<String, String>(
                TestInfrastructure.endpoints().kafkaAdminClient(), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.AUDIT_ANCHORS, service, "eyJhbGciOiJFUzI1NiJ9.e30.c2ln"))
                    .get();
            producer.send(new ProducerRecord<>(
                            Topics.AUDIT_ANCHORS,
                            service + "/chain-broken",
                            "{\"service\":\"" + service + "\",\"status\":\"FINE\",\"firstBrokenSeq\":1}"))
                    .get();
            producer.send(new ProducerRecord<>(
                            Topics.AUDIT_ANCHORS,
                            service + "/chain-broken",
                            "{\"service\":\"someone-else\",\"status\":\"BROKEN\",\"firstBrokenSeq\":1}"))
                    .get();
            producer.send(new ProducerRecord<>(Topics.AUDIT_ANCHORS, service + "/chain-broken", "x".repeat(5000)))
                    .get();
            producer.send(new ProducerRecord<>(
                            Topics.AUDIT_ANCHORS,
                            service + "/chain-broken",
                            "{\"service\":\"" + service
                                    + "\",\"status\":\"TRUNCATED\",\"firstBrokenSeq\":41,\"anchorSeq\":42,"
                                    + "\"detectedAt\":\"2030-01-01T00:00:00Z\"}"))
                    .get();
        }
        String token = KeycloakRealm.get().coordinatorToken();
        // The first authenticated request of a fresh service (JWKS fetch, class loading) can alone take longer than
        // the wait below on a loaded machine; awaitility then times out before one check has finished and reports
        // "null" as the reason. So the coordinator reads her list once before the wait starts.
        given().auth().oauth2(token).when().get("/api/v1/alerts").then().statusCode(200);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    var alerts = given().auth()
                            .oauth2(token)
                            .queryParam("limit", 200)
                            .when()
                            .get("/api/v1/alerts")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    List<Map<String, Object>> ours =
                            alerts.getList("items.findAll { it.kind == 'AUDIT_CHAIN_BROKEN' && it.data.service == '"
                                    + service + "' }.data");
                    assertThat(ours).singleElement().satisfies(d -> {
                        assertThat(d)
                                .containsEntry("status", "TRUNCATED")
                                .containsEntry("firstBrokenSeq", 41)
                                .containsEntry("anchorSeq", 42);
                    });
                    // the report keyed by our service but naming another is dropped, not raised under the other's name
                    assertThat(
                                    alerts.getList(
                                            "items.findAll { it.kind == 'AUDIT_CHAIN_BROKEN' && it.data.service == 'someone-else' }"))
                            .isEmpty();
                });
    }
}
