package org.tandem.notification.alert;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.tandem.events.Topics;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestInfrastructure;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

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
        try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers", TestInfrastructure.endpoints().kafkaBootstrap(),
                "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(Topics.AUDIT_ANCHORS, service, "eyJhbGciOiJFUzI1NiJ9.e30.c2ln")).get();
            producer.send(new ProducerRecord<>(Topics.AUDIT_ANCHORS, service + "/chain-broken",
                    "{\"service\":\"" + service + "\",\"status\":\"FINE\",\"firstBrokenSeq\":1}")).get();
            producer.send(new ProducerRecord<>(Topics.AUDIT_ANCHORS, service + "/chain-broken",
                    "{\"service\":\"someone-else\",\"status\":\"BROKEN\",\"firstBrokenSeq\":1}")).get();
            producer.send(new ProducerRecord<>(Topics.AUDIT_ANCHORS, service + "/chain-broken", "x".repeat(5000))).get();
            producer.send(new ProducerRecord<>(Topics.AUDIT_ANCHORS, service + "/chain-broken",
                    "{\"service\":\"" + service + "\",\"status\":\"TRUNCATED\",\"firstBrokenSeq\":41,\"anchorSeq\":42,"
                            + "\"detectedAt\":\"2030-01-01T00:00:00Z\"}")).get();
        }
        String token = KeycloakRealm.get().coordinatorToken();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            List<Map<String, Object>> ours = given().auth().oauth2(token).queryParam("limit", 200).when().get("/api/v1/alerts")
                    .then().statusCode(200).extract().jsonPath()
                    .getList("items.findAll { it.kind == 'AUDIT_CHAIN_BROKEN' && it.data.service == '" + service + "' }.data");
            assertThat(ours).singleElement().satisfies(d -> {
                assertThat(d).containsEntry("status", "TRUNCATED").containsEntry("firstBrokenSeq", 41).containsEntry("anchorSeq", 42);
            });
        });
    }
}
