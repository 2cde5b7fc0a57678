package org.tandem.notification.secrets;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.tandem.notification.support.Database;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.notification.support.StandardWebhooksVerifier.v1Valid;
import static org.tandem.notification.support.StandardWebhooksVerifier.v1aValid;

/**
 * Rotating the key-encryption key (docs/security.md, "Rotating the key-encryption key"): the service runs
 * with the new key first and the old one after it; rows sealed under the old key still work; the re-wrap
 * moves every one of them to the new key, in batches, and a second run finds nothing to do; afterwards the
 * new key alone opens everything, and deliveries verify with the same secrets and public keys as before.
 */
@QuarkusTest
@TestProfile(SecretRewrapTest.RotatedKey.class)
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class SecretRewrapTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** The configuration before the rotation (the test profile's). */
    static final String OLD = "dev-1:dGFuZGVtLWRldmVsb3BtZW50LWtlay0wMDAwMDAwMDA=";

    static final String NEW =
            "rot-2:" + Base64.getEncoder().encodeToString("tandem-rewrap-test-kek-000000000".getBytes());

    public static class RotatedKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(KeyEncryptionKeys.PROPERTY, NEW + "," + OLD);
        }
    }

    @Inject
    SecretRewrap rewrap;

    static SecretEnvelope envelope(String keys) {
        return new SecretEnvelope(KeyEncryptionKeys.parse(keys));
    }

    /** Later tests run with the test profile's key alone: everything goes back under it. */
    @AfterAll
    static void backUnderTheTestKey() throws Exception {
        Database.reseal(null, envelope(OLD + "," + NEW), envelope(OLD));
    }

    record Endpoint(String id, String secret, String previous, String publicKey, WebhookReceiver hooks) {}

    @Test
    void rewrap_moves_every_secret_to_the_new_key_in_batches_and_deliveries_still_verify() throws Exception {
        TestOrganisation org = KeycloakRealm.get().createOrganisation("MT");
        List<Endpoint> endpoints = new ArrayList<>();
        List<WebhookReceiver> receivers = List.of(new WebhookReceiver(), new WebhookReceiver(), new WebhookReceiver());
        try {
            for (WebhookReceiver hooks : receivers) {
                JsonPath ep = SecretsAtRestTest.create(
                                org, hooks, UUID.randomUUID().toString(), SecretsAtRestTest.newSecret())
                        .jsonPath();
                String secret = ep.getString("secret");
                String previous = null;
                if (endpoints.isEmpty()) {
                    previous = secret;
                    secret = SecretsAtRestTest.rotate(
                                    org, ep.getString("id"), UUID.randomUUID().toString(), null, 3600)
                            .jsonPath()
                            .getString("secret");
                }
                endpoints.add(
                        new Endpoint(ep.getString("id"), secret, previous, ep.getString("ed25519PublicKey"), hooks));
            }
            List<UUID> ids =
                    endpoints.stream().map(e -> UUID.fromString(e.id())).toList();
            assertThat(Database.sealed(ids.get(0)))
                    .allSatisfy(v -> assertThat(v).startsWith("kek1.rot-2."));

            // rows as the deployment before the rotation wrote them: sealed under the old key
            int moved = Database.reseal(ids, envelope(NEW + "," + OLD), envelope(OLD));
            assertThat(moved).isEqualTo(7); // 3 secrets, 1 previous secret, 3 private keys
            assertThat(rewrap.remaining("rot-2")).containsKey("dev-1");
            ping(org, endpoints.get(0)); // the old key still opens them

            SecretRewrap.Report report = rewrap.run(2);
            assertThat(report.currentKeyId()).isEqualTo("rot-2");
            assertThat(report.values()).isGreaterThanOrEqualTo(7);
            assertThat(report.endpoints()).isGreaterThanOrEqualTo(3);
            assertThat(report.remaining()).isEmpty();
            try (Connection c = Database.tandem();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("""
                    select count(*) from notification.webhook_endpoint where secret_sealed not like 'kek1.rot-2.%'
                       or previous_secret_sealed not like 'kek1.rot-2.%' or ed25519_private_key_sealed not like 'kek1.rot-2.%'""")) {
                r.next();
                assertThat(r.getLong(1))
                        .as("rows with a value under another key")
                        .isZero();
            }
            // the new key alone opens every value, to the same secrets: the old key id can go
            SecretEnvelope newOnly = envelope(NEW);
            for (Endpoint e : endpoints) {
                List<String> sealed = Database.sealed(UUID.fromString(e.id()));
                UUID id = UUID.fromString(e.id());
                assertThat(newOnly.open(sealed.get(0), WebhookSecrets.context(WebhookSecrets.SECRET, id)))
                        .isEqualTo(e.secret());
                assertThat(newOnly.open(sealed.get(1), WebhookSecrets.context(WebhookSecrets.PREVIOUS_SECRET, id)))
                        .isEqualTo(e.previous());
                assertThat(newOnly.open(sealed.get(2), WebhookSecrets.context(WebhookSecrets.ED25519_PRIVATE_KEY, id)))
                        .isNotNull();
            }

            SecretRewrap.Report again = rewrap.run(2);
            assertThat(again.values())
                    .as("a second run finds nothing to re-wrap")
                    .isZero();
            assertThat(again.endpoints()).isZero();
            assertThat(again.remaining()).isEmpty();

            for (Endpoint e : endpoints) {
                ping(org, e);
            }
        } finally {
            receivers.forEach(WebhookReceiver::close);
        }
    }

    static void ping(TestOrganisation org, Endpoint e) {
        long before = e.hooks().received().stream()
                .filter(r -> r.body().contains("webhook.ping"))
                .count();
        given().auth()
                .oauth2(org.adminToken())
                .when()
                .post("/api/v1/webhooks/endpoints/{id}/ping", e.id())
                .then()
                .statusCode(202);
        var received = e.hooks().await(r -> r.body().contains("webhook.ping"), (int) before + 1, WAIT);
        var last = received.get(received.size() - 1);
        assertThat(v1Valid(e.secret(), last)).as("v1 with the same secret").isTrue();
        if (e.previous() != null) {
            assertThat(v1Valid(e.previous(), last))
                    .as("v1 with the previous secret during its overlap")
                    .isTrue();
        }
        assertThat(v1aValid(e.publicKey(), last))
                .as("v1a with the same key pair")
                .isTrue();
    }
}
