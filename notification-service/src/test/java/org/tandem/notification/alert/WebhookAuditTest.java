package org.tandem.notification.alert;

import java.time.Duration;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import org.tandem.notification.support.Api;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoint creation, secret rotation and replays are audited, and so is another organisation's attempt to reach an
 * endpoint (the same 404 as a missing one); the log holds ids, never a secret (docs/privacy.md, "Refused requests").
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class WebhookAuditTest {

    @Test
    void creation_rotation_replay_and_another_organisations_attempt_are_audited() {
        KeycloakRealm realm = KeycloakRealm.get();
        TestOrganisation org = realm.createOrganisation("SI");
        TestOrganisation stranger = realm.createOrganisation("HR");
        try (var hooks = new WebhookReceiver()) {
            var ep = Api.subscribe(org.adminToken(), hooks, null, "*");
            String id = ep.getString("id");
            String secret = given().auth()
                    .oauth2(org.adminToken())
                    .contentType(ContentType.JSON)
                    .body("{}")
                    .when()
                    .post("/api/v1/webhooks/endpoints/{id}/secret-rotation", id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getString("secret");
            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .post("/api/v1/webhooks/endpoints/{id}/ping", id)
                    .then()
                    .statusCode(202);
            String delivery = Api.awaitDeliveryId(org.adminToken(), id, Duration.ofSeconds(30));
            Api.awaitDelivery(
                    org.adminToken(),
                    id,
                    delivery,
                    d -> !"PENDING".equals(d.getString("status")),
                    Duration.ofSeconds(30));
            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .post("/api/v1/webhooks/endpoints/{e}/deliveries/{d}/replay", id, delivery)
                    .then()
                    .statusCode(202);
            given().auth()
                    .oauth2(stranger.adminToken())
                    .when()
                    .get("/api/v1/webhooks/endpoints/{id}", id)
                    .then()
                    .statusCode(404);

            var entries = given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .get("/api/v1/audit?limit=200")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(entries.getList(
                            "findAll { it.resourceId == '" + id + "' && it.outcome == 'ALLOWED' }.action",
                            String.class))
                    .containsExactly("webhook-endpoint.secret-rotation", "webhook-endpoint.create");
            assertThat(entries.getList("findAll { it.resourceId == '" + delivery + "' }.action", String.class))
                    .containsExactly("webhook-delivery.replay");
            assertThat(entries.getList(
                            "findAll { it.resourceId == '" + id + "' && it.outcome == 'DENIED' }.action", String.class))
                    .as("the organisation sees the stranger's refused attempt on its endpoint")
                    .containsExactly("webhook-endpoint.access");
            assertThat(entries.prettify()).doesNotContain(secret).doesNotContain(ep.getString("secret"));
        }
    }
}
