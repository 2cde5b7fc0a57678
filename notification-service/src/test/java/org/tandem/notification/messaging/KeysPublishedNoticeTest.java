package org.tandem.notification.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.registry.KeyUse;
import org.tandem.notification.support.Api;
import org.tandem.notification.support.Events;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.SmtpSink;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.notification.support.StandardWebhooksVerifier.v1Valid;

/**
 * A key publication is told at once to the organisation itself, and only to it: a signed
 * {@code organisation.keys_published} webhook to each of its enabled endpoints (whatever they subscribed to), an
 * alert in its org-admins' feed, and an e-mail over real SMTP to every alert address of its endpoints, a disabled
 * endpoint's included (docs/security.md, "Key substitution").
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class KeysPublishedNoticeTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static EventTopicWriter writer;
    static KeycloakRealm realm;

    @BeforeAll
    static void setUp() {
        writer = new EventTopicWriter();
        realm = KeycloakRealm.get();
        SmtpSink.get();
    }

    @AfterAll
    static void tearDown() {
        writer.close();
    }

    /** A made-up thumbprint of the shape RFC 7638 gives (base64url of 32 bytes). */
    static String thumbprint(String seed) throws Exception {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void the_organisations_own_endpoints_and_alert_addresses_are_told_and_no_one_else() throws Exception {
        TestOrganisation org = realm.createOrganisation("LT");
        TestOrganisation other = realm.createOrganisation("LV");
        String orgMail = "integration-" + org.id() + "@org.tandem.invalid";
        String disabledMail = "old-team-" + org.id() + "@org.tandem.invalid";
        String otherMail = "integration-" + other.id() + "@org.tandem.invalid";
        try (var own = new WebhookReceiver();
                var disabled = new WebhookReceiver();
                var theirs = new WebhookReceiver()) {
            // subscribed to referrals only: a key notice is a security notice and comes all the same
            String secret = Api.subscribe(
                            org.adminToken(), own, "\"alertEmail\":\"" + orgMail + "\"", "referral.submitted")
                    .getString("secret");
            String disabledId = Api.subscribe(
                            org.adminToken(), disabled, "\"alertEmail\":\"" + disabledMail + "\"", "*")
                    .getString("id");
            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .post("/api/v1/webhooks/endpoints/{id}/disable", disabledId)
                    .then()
                    .statusCode(200);
            Api.subscribe(other.adminToken(), theirs, "\"alertEmail\":\"" + otherMail + "\"", "*");

            String encKid = "enc-" + UUID.randomUUID();
            String encThumbprint = thumbprint(encKid);
            writer.publish(
                    Topics.ORGANISATIONS,
                    org.id().toString(),
                    Events.keysPublished(org, List.of(Events.keyRef(encKid, KeyUse.ENCRYPTION, encThumbprint))));
            String otherKid = "enc-" + UUID.randomUUID();
            writer.publish(
                    Topics.ORGANISATIONS,
                    other.id().toString(),
                    Events.keysPublished(
                            other, List.of(Events.keyRef(otherKid, KeyUse.ENCRYPTION, thumbprint(otherKid)))));

            var hook = own.await(r -> r.body().contains(encKid), 1, WAIT).get(0);
            assertThat(v1Valid(secret, hook))
                    .as("signed with the endpoint's secret")
                    .isTrue();
            JsonPath body = JsonPath.from(hook.body());
            assertThat(body.getString("type")).isEqualTo("organisation.keys_published");
            assertThat(body.getString("data.organisationId")).isEqualTo(org.id().toString());
            assertThat(body.getList("data.keys.kid", String.class)).containsExactly(encKid);
            assertThat(body.getList("data.keys.thumbprint", String.class)).containsExactly(encThumbprint);
            assertThat(body.getList("data.keys.use", String.class)).containsExactly("ENCRYPTION");
            assertThat(body.getString("data.occurredAt")).isNotBlank();

            // the other organisation hears of its own keys only, and the disabled endpoint of nothing
            theirs.await(r -> r.body().contains(otherKid), 1, WAIT);
            Api.pause(1000);
            assertThat(theirs.received())
                    .noneMatch(r -> r.body().contains(encKid)
                            || r.body().contains(org.id().toString()));
            assertThat(own.received()).noneMatch(r -> r.body().contains(otherKid));
            assertThat(disabled.received()).isEmpty();

            // the e-mail goes to the organisation's alert addresses (the disabled endpoint's too), not to the other's
            var mail = SmtpSink.get()
                    .await(m -> m.body().contains(encKid), 1, WAIT)
                    .get(0);
            assertThat(mail.to()).containsExactlyInAnyOrder(orgMail, disabledMail);
            assertThat(mail.subject()).contains("New public keys");
            assertThat(mail.body()).contains(encThumbprint).contains(org.id().toString());
            var otherMailReceived = SmtpSink.get()
                    .await(m -> m.body().contains(otherKid), 1, WAIT)
                    .get(0);
            assertThat(otherMailReceived.to()).containsExactly(otherMail);
            assertThat(SmtpSink.get().received())
                    .filteredOn(m -> m.body().contains(encKid))
                    .allSatisfy(m -> assertThat(m.to()).doesNotContain(otherMail));

            // the org-admins' alert list shows it; the other organisation's does not
            JsonPath alerts = given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .get("/api/v1/alerts")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(alerts.<Map<String, Object>>getList("items")).anySatisfy(a -> {
                assertThat(a.get("kind")).isEqualTo("KEYS_PUBLISHED");
                assertThat(String.valueOf(a.get("data"))).contains(encKid);
            });
            JsonPath otherAlerts = given().auth()
                    .oauth2(other.adminToken())
                    .when()
                    .get("/api/v1/alerts")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(otherAlerts.<Map<String, Object>>getList("items"))
                    .isNotEmpty()
                    .noneMatch(a -> String.valueOf(a.get("data")).contains(encKid));
        }
    }

    @Test
    void a_network_endpoint_cannot_subscribe_to_an_organisations_key_notice() {
        try (var network = new WebhookReceiver()) {
            given().auth()
                    .oauth2(realm.coordinatorToken())
                    .contentType("application/json")
                    .body("{\"url\":\"" + network.url("/hooks")
                            + "\",\"eventTypes\":[\"organisation.keys_published\"]}")
                    .when()
                    .post("/api/v1/webhooks/endpoints")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
    }
}
