package org.tandem.notification.secrets;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.tandem.notification.persistence.WebhookEndpointEntity;
import org.tandem.notification.support.Database;
import org.tandem.notification.support.StandardWebhooksVerifier;
import org.tandem.notification.support.TestClock;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.tandem.notification.support.StandardWebhooksVerifier.signatures;
import static org.tandem.notification.support.StandardWebhooksVerifier.v1Valid;
import static org.tandem.notification.support.StandardWebhooksVerifier.v1aValid;

/**
 * No secret is stored in plaintext (docs/security.md, "Secrets at rest"): known signing secrets, previous
 * secrets and Ed25519 private keys are written through the API, with Idempotency-Key, and then no row of any
 * table of any schema of any database on the server holds them in any common encoding.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class SecretsAtRestTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    WebhookSecrets secrets;

    @Inject
    PreviousSecretEraser eraser;

    @AfterEach
    void resetClock() {
        TestClock.INSTANCE.reset();
    }

    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    static ExtractableResponse<Response> create(
            TestOrganisation org, WebhookReceiver hooks, String idempotencyKey, String secret) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", hooks.url("/hooks/tandem"));
        body.put("eventTypes", List.of("*"));
        body.put("ed25519", true);
        if (secret != null) {
            body.put("secret", secret);
        }
        return given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(body)
                .when()
                .post("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(201)
                .extract();
    }

    static ExtractableResponse<Response> rotate(
            TestOrganisation org, String id, String idempotencyKey, String secret, long overlap) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("overlapSeconds", overlap);
        if (secret != null) {
            body.put("secret", secret);
        }
        return given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(body)
                .when()
                .post("/api/v1/webhooks/endpoints/{id}/secret-rotation", id)
                .then()
                .statusCode(200)
                .extract();
    }

    String privateKey(String endpointId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> secrets.ed25519PrivateKey(WebhookEndpointEntity.findById(UUID.fromString(endpointId))));
    }

    @Test
    void no_table_of_any_schema_holds_a_secret_previous_secret_or_private_key_in_any_encoding() throws Exception {
        TestOrganisation org = KeycloakRealm.get().createOrganisation("PT");
        try (var hooks = new WebhookReceiver()) {
            // 1. her own secret, with an Ed25519 key pair; 2. one Tandem makes
            String own = newSecret();
            String key1 = UUID.randomUUID().toString();
            JsonPath a = create(org, hooks, key1, own).jsonPath();
            assertThat(a.getString("secret")).isEqualTo(own);
            String key2 = UUID.randomUUID().toString();
            JsonPath b = create(org, hooks, key2, null).jsonPath();
            String made = b.getString("secret");
            assertThat(made).startsWith("whsec_");

            // rotations with Idempotency-Key: a to one Tandem makes, b to her own; both old secrets become previous
            // ones
            String key3 = UUID.randomUUID().toString();
            String rotatedA =
                    rotate(org, a.getString("id"), key3, null, 3600).jsonPath().getString("secret");
            String ownB = newSecret();
            String key4 = UUID.randomUUID().toString();
            assertThat(rotate(org, b.getString("id"), key4, ownB, 3600)
                            .jsonPath()
                            .getString("secret"))
                    .isEqualTo(ownB);

            // a retry with the same key answers the same outcome, without the secret (it is not kept)
            ExtractableResponse<Response> replay = create(org, hooks, key1, own);
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(replay.jsonPath().getString("id")).isEqualTo(a.getString("id"));
            assertThat(replay.jsonPath().getMap("$"))
                    .doesNotContainKey("secret")
                    .containsKey("ed25519PublicKey");
            ExtractableResponse<Response> rotationReplay = rotate(org, a.getString("id"), key3, null, 3600);
            assertThat(rotationReplay.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(rotationReplay.jsonPath().getMap("$"))
                    .doesNotContainKey("secret")
                    .containsKey("previousSecretValidUntil");

            // the private keys, as the service opens them to sign: they belong to the published public keys
            List<String> privateKeys = new ArrayList<>();
            for (JsonPath ep : List.of(a, b)) {
                String pkcs8 = privateKey(ep.getString("id"));
                assertThat(belongsTo(pkcs8, ep.getString("ed25519PublicKey"))).isTrue();
                privateKeys.add(pkcs8);
            }
            // and the service signs with every secret it was given: both during the overlap
            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .post("/api/v1/webhooks/endpoints/{id}/ping", a.getString("id"))
                    .then()
                    .statusCode(202);
            var ping = hooks.await(r -> r.body().contains(a.getString("id")), 1, WAIT)
                    .get(0);
            assertThat(v1Valid(rotatedA, ping)).isTrue();
            assertThat(v1Valid(own, ping)).isTrue();
            assertThat(v1aValid(a.getString("ed25519PublicKey"), ping)).isTrue();

            Map<String, String> needles = new LinkedHashMap<>();
            for (String secret : List.of(own, made, rotatedA, ownB)) {
                addSecretNeedles(needles, secret);
            }
            for (String pkcs8 : privateKeys) {
                addPrivateKeyNeedles(needles, pkcs8);
            }

            // what the scan must find, so that it can fail: a sealed value, a public key, an idempotency record
            String ciphertext =
                    Database.sealed(UUID.fromString(a.getString("id"))).get(0);
            Database.Scan scan = Database.scanEverything(
                    List.copyOf(needles.values()), List.of(ciphertext, a.getString("ed25519PublicKey"), key1));
            assertThat(scan.tables())
                    .contains(
                            "tandem.notification.webhook_endpoint",
                            "tandem.notification.idempotency_record",
                            "tandem.pg_catalog.pg_statistic");
            assertThat(scan.controlHits())
                    .containsKeys("tandem.notification.webhook_endpoint", "tandem.notification.idempotency_record");
            assertThat(scan.rows()).isGreaterThan(1000);
            assertThat(scan.secretHits())
                    .as(
                            "tables holding a secret, of %d rows in %d tables",
                            scan.rows(), scan.tables().size())
                    .isEmpty();
        }
    }

    /** A whsec_ secret: the string, its base64 body, its key bytes in hex, base64 and base64url, and its text in hex. */
    static void addSecretNeedles(Map<String, String> needles, String secret) {
        String body = secret.substring("whsec_".length());
        byte[] key = Base64.getDecoder().decode(body);
        needles.put("secret " + secret.substring(0, 10) + "... as text", secret);
        needles.put("secret " + secret.substring(0, 10) + "... base64 body", body);
        needles.put(
                "secret " + secret.substring(0, 10) + "... key bytes hex",
                HexFormat.of().formatHex(key));
        needles.put(
                "secret " + secret.substring(0, 10) + "... key bytes base64 unpadded",
                Base64.getEncoder().withoutPadding().encodeToString(key));
        needles.put(
                "secret " + secret.substring(0, 10) + "... key bytes base64url",
                Base64.getUrlEncoder().withoutPadding().encodeToString(key));
        needles.put(
                "secret " + secret.substring(0, 10) + "... text hex",
                HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8)));
        needles.put(
                "secret " + secret.substring(0, 10) + "... body text hex",
                HexFormat.of().formatHex(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** An Ed25519 private key: PKCS#8 in base64 and hex, its 32-byte seed in hex, base64 and base64url, its text in hex. */
    static void addPrivateKeyNeedles(Map<String, String> needles, String pkcs8Base64) {
        byte[] der = Base64.getDecoder().decode(pkcs8Base64);
        byte[] seed = Arrays.copyOfRange(der, der.length - 32, der.length);
        String name = "private key " + HexFormat.of().formatHex(seed, 0, 3);
        needles.put(name + " PKCS#8 base64", pkcs8Base64);
        needles.put(
                name + " PKCS#8 base64 unpadded",
                Base64.getEncoder().withoutPadding().encodeToString(der));
        needles.put(name + " PKCS#8 hex", HexFormat.of().formatHex(der));
        needles.put(name + " seed hex", HexFormat.of().formatHex(seed));
        needles.put(name + " seed base64", Base64.getEncoder().withoutPadding().encodeToString(seed));
        needles.put(
                name + " seed base64url",
                Base64.getUrlEncoder().withoutPadding().encodeToString(seed));
        needles.put(name + " text hex", HexFormat.of().formatHex(pkcs8Base64.getBytes(StandardCharsets.UTF_8)));
    }

    static boolean belongsTo(String pkcs8Base64, String publicKey) throws Exception {
        byte[] message = "belongs to".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(KeyFactory.getInstance("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8Base64))));
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(StandardWebhooksVerifier.ed25519PublicKey(publicKey));
        verifier.update(message);
        return verifier.verify(signature);
    }

    @Test
    void a_previous_secret_is_erased_when_its_overlap_ends() throws Exception {
        TestOrganisation org = KeycloakRealm.get().createOrganisation("LU");
        try (var hooks = new WebhookReceiver()) {
            JsonPath ep = create(org, hooks, UUID.randomUUID().toString(), null).jsonPath();
            String first = ep.getString("secret");
            String id = ep.getString("id");
            String second = rotate(org, id, UUID.randomUUID().toString(), null, 60)
                    .jsonPath()
                    .getString("secret");
            assertThat(Database.sealed(UUID.fromString(id)).get(1))
                    .as("the previous secret, sealed")
                    .startsWith("kek1.");

            eraser.erase();
            assertThat(Database.sealed(UUID.fromString(id)).get(1))
                    .as("kept during the overlap")
                    .isNotNull();

            TestClock.INSTANCE.advance(Duration.ofSeconds(61));
            Instant deadline = Instant.now().plus(WAIT);
            while (Database.sealed(UUID.fromString(id)).get(1) != null) { // the scheduled sweep erases it
                assertThat(Instant.now())
                        .as("the previous secret is erased by the sweep")
                        .isBefore(deadline);
                Thread.sleep(100);
            }
            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .get("/api/v1/webhooks/endpoints/{id}", id)
                    .then()
                    .statusCode(200)
                    .body("$", not(hasKey("previousSecretValidUntil")));
            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .post("/api/v1/webhooks/endpoints/{id}/ping", id)
                    .then()
                    .statusCode(202)
                    .body("eventType", equalTo("webhook.ping"));
            var ping = hooks.await(r -> r.body().contains(id), 1, WAIT).get(0);
            assertThat(v1Valid(second, ping)).isTrue();
            assertThat(v1Valid(first, ping)).isFalse();
            assertThat(signatures(ping)).extracting(s -> s[0]).containsExactly("v1", "v1a");
        }
    }
}
