package org.tandem.referral.readiness;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import org.tandem.events.EventCatalog;
import org.tandem.events.Topics;
import org.tandem.platform.serde.TimeLimitedSchemaResolver;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestInfrastructure;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ready means fast (docs/operations.md, "Readiness"): once referral-service says ready, its pool has its
 * connections open, the identity provider's signing keys are in memory, its consumers are in their group and the
 * outbox producer has the schemas of the referral events. Each is checked here apart from what the check itself
 * reports, where the service allows it.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class WarmReadinessTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TenantConfigBean oidc;

    @Test
    void ready_only_once_warm_and_then_every_part_is_warm() throws Exception {
        List<EventCatalog.Entry> consumed = EventCatalog.all().stream()
                .filter(e -> e.topic().equals(Topics.ORGANISATIONS))
                .toList();
        Map<EventCatalog.Entry, Long> contentIds = new HashMap<>();
        consumed.forEach(e -> contentIds.put(e, registryContentId(e)));

        // the warm-up begins when the service has started, not at the first probe: before anything has asked
        // whether the service is ready, the deserialiser comes to hold the consumed schemas on its own
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> consumed.stream()
                        .allMatch(e -> TimeLimitedSchemaResolver.configured().stream()
                                .anyMatch(r -> r.holdsContentId(contentIds.get(e)))));

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().when().get("/q/health/ready").statusCode() == 200);
        JsonPath health = given().when().get("/q/health/ready").then().extract().jsonPath();
        assertThat(health.getString("checks.find { it.name == 'warm-up' }.status"))
                .isEqualTo("UP");
        assertThat(health.getString("checks.find { it.name == 'warm-up' }.data.pool"))
                .isEqualTo("4 connections open");
        assertThat(health.getString("checks.find { it.name == 'warm-up' }.data.producer"))
                .isEqualTo("connected, schemas cached");
        assertThat(health.getString("checks.find { it.name == 'warm-up' }.data.consumers"))
                .isEqualTo("{organisations=assigned}");
        assertThat(health.getString("checks.find { it.name == 'warm-up' }.data.consumer-schemas"))
                .isEqualTo(consumed.size() + " event types cached");

        // the organisations channel's deserialiser holds each organisation event's schema as this build writes it,
        // by the content id the registry itself gives for that content (the id a record written with it carries),
        // so the first record of each type is decoded without a lookup. Readiness fills every resolver configured
        // when it runs: the channel's deserialiser at least (the relay's serialiser may be built after, and
        // resolvers that tests build later are not filled)
        for (EventCatalog.Entry e : consumed) {
            long contentId = contentIds.get(e);
            assertThat(TimeLimitedSchemaResolver.configured().stream()
                            .filter(r -> r.holdsContentId(contentId))
                            .count())
                    .as("resolvers holding %s (content id %d)", e.fullName(), contentId)
                    .isGreaterThanOrEqualTo(1);
        }

        // the pool's connections are open at the server: this service's login holds at least min-size sessions
        try (Connection c = dataSource.getConnection();
                ResultSet r = c.createStatement()
                        .executeQuery("select count(*) from pg_stat_activity where usename = current_user")) {
            r.next();
            assertThat(r.getInt(1)).as("sessions of the service's login").isGreaterThanOrEqualTo(4);
        }

        // the signing keys are in memory: the synchronous check, which never fetches, verifies a real token
        String token = KeycloakRealm.get().createOrganisation("DE").caseworkerToken();
        var provider = oidc.getDefaultTenant().provider();
        assertThat(provider).isNotNull();
        assertThat(provider.verifyJwtToken(token, false, false, null)).isNotNull();
    }

    /** The content id the registry gives for this build's content of the event's schema (the id its records carry). */
    private static long registryContentId(EventCatalog.Entry e) {
        return given().baseUri(TestInfrastructure.endpoints().schemaRegistryUrl())
                .queryParam("groupId", e.schema().getNamespace())
                .queryParam("artifactId", e.schema().getName())
                .queryParam("artifactType", "AVRO")
                .contentType("application/json")
                .body(e.schema().toString())
                .when()
                .post("/search/versions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("versions[0].contentId");
    }
}
