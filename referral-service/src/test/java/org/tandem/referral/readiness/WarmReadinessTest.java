package org.tandem.referral.readiness;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;

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
}
