package org.tandem.notification.rest;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.notification.support.Api;
import org.tandem.notification.support.Events;
import org.tandem.notification.support.TestClock;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.tandem.notification.support.StandardWebhooksVerifier.signatures;
import static org.tandem.notification.support.StandardWebhooksVerifier.v1Valid;
import static org.tandem.notification.support.StandardWebhooksVerifier.v1aValid;

/** Subscriptions as an org-admin manages them: secrets and their rotation, Ed25519, ping, enable and disable. */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class EndpointManagementTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static EventTopicWriter writer;
    static KeycloakRealm realm;

    @BeforeAll
    static void setUp() {
        writer = new EventTopicWriter();
        realm = KeycloakRealm.get();
    }

    @AfterAll
    static void tearDown() {
        writer.close();
    }

    @AfterEach
    void resetClock() {
        TestClock.INSTANCE.reset();
    }

    @Test
    void during_a_rotation_both_secrets_sign_and_afterwards_only_the_new_one_and_ed25519_signs_as_v1a() {
        TestOrganisation sender = realm.createOrganisation("GR");
        TestOrganisation org = realm.createOrganisation("AT");
        try (var hooks = new WebhookReceiver()) {
            byte[] own = new byte[24];
            new SecureRandom().nextBytes(own);
            String ownSecret = "whsec_" + Base64.getEncoder().encodeToString(own);
            JsonPath ep =
                    Api.subscribe(org.adminToken(), hooks, "\"secret\":\"" + ownSecret + "\",\"ed25519\":true", "*");
            assertThat(ep.getString("secret")).isEqualTo(ownSecret);
            String publicKey = ep.getString("ed25519PublicKey");
            assertThat(publicKey).startsWith("whpk_");
            String id = ep.getString("id");

            String referralId = UUID.randomUUID().toString();
            writer.publish(Topics.REFERRALS, referralId, Events.submitted(referralId, sender, org));
            var first = hooks.await(r -> r.body().contains(referralId), 1, WAIT).get(0);
            assertThat(v1Valid(ownSecret, first)).isTrue();
            assertThat(v1aValid(publicKey, first)).isTrue();
            assertThat(signatures(first)).extracting(s -> s[0]).containsExactly("v1", "v1a");

            String newSecret = given().auth()
                    .oauth2(org.adminToken())
                    .contentType(ContentType.JSON)
                    .body("{\"overlapSeconds\":3600}")
                    .when()
                    .post("/api/v1/webhooks/endpoints/{id}/secret-rotation", id)
                    .then()
                    .statusCode(200)
                    .body("secret", startsWith("whsec_"))
                    .body("previousSecretValidUntil", notNullValue())
                    .extract()
                    .jsonPath()
                    .getString("secret");
            writer.publish(Topics.REFERRALS, referralId, Events.acknowledged(referralId, sender, org));
            var during = hooks.await(r -> r.body().contains("referral.acknowledged"), 1, WAIT)
                    .get(0);
            assertThat(v1Valid(ownSecret, during))
                    .as("old secret during the overlap")
                    .isTrue();
            assertThat(v1Valid(newSecret, during))
                    .as("new secret during the overlap")
                    .isTrue();
            assertThat(v1aValid(publicKey, during)).isTrue();

            TestClock.INSTANCE.advance(Duration.ofMinutes(61));
            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .post("/api/v1/webhooks/endpoints/{id}/ping", id)
                    .then()
                    .statusCode(202)
                    .body("eventType", equalTo("webhook.ping"));
            var after =
                    hooks.await(r -> r.body().contains("webhook.ping"), 1, WAIT).get(0);
            assertThat(v1Valid(newSecret, after)).isTrue();
            assertThat(v1Valid(ownSecret, after))
                    .as("the old secret no longer signs after the overlap")
                    .isFalse();
            assertThat(JsonPath.from(after.body()).getString("data.endpointId")).isEqualTo(id);
            // the secret is never shown again
            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .get("/api/v1/webhooks/endpoints/{id}", id)
                    .then()
                    .statusCode(200)
                    .body("$", not(hasKey("secret")));
        }
    }

    @Test
    void secrets_must_be_24_to_64_bytes_and_event_types_fit_the_scope() {
        TestOrganisation org = realm.createOrganisation("BE");
        for (int bytes : List.of(23, 65)) {
            String secret = "whsec_" + Base64.getEncoder().encodeToString(new byte[bytes]);
            given().auth()
                    .oauth2(org.adminToken())
                    .contentType(ContentType.JSON)
                    .body("{\"url\":\"https://hooks.example.org/t\",\"eventTypes\":[\"*\"],\"secret\":\"" + secret
                            + "\"}")
                    .when()
                    .post("/api/v1/webhooks/endpoints")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("secret"));
        }
        given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body("{\"url\":\"https://hooks.example.org/t\",\"eventTypes\":[\"organisation.registered\"]}")
                .when()
                .post("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("eventTypes"));
        given().auth()
                .oauth2(realm.coordinatorToken())
                .contentType(ContentType.JSON)
                .body("{\"url\":\"https://hooks.example.org/t\",\"eventTypes\":[\"referral.submitted\"]}")
                .when()
                .post("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("eventTypes"));
        given().auth()
                .oauth2(realm.coordinatorToken())
                .contentType(ContentType.JSON)
                .body(
                        "{\"url\":\"https://hooks.example.org/t\",\"eventTypes\":[\"referral.escalated\",\"organisation.registered\"]}")
                .when()
                .post("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(201)
                .body("scope", equalTo("NETWORK"))
                .body("$", not(hasKey("organisationId")));
        given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body("{\"url\":\"https://hooks.example.org/" + "x".repeat(2100) + "\",\"eventTypes\":[\"*\"]}")
                .when()
                .post("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("url"));
    }

    @Test
    void a_disabled_endpoint_gets_nothing_until_enabled_and_the_delivery_log_pages() {
        TestOrganisation sender = realm.createOrganisation("HR");
        TestOrganisation org = realm.createOrganisation("SI");
        try (var hooks = new WebhookReceiver();
                var witness = new WebhookReceiver()) {
            JsonPath ep = Api.subscribe(org.adminToken(), hooks, null, "referral.submitted");
            Api.subscribe(org.adminToken(), witness, null, "referral.submitted");
            String id = ep.getString("id");
            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .post("/api/v1/webhooks/endpoints/{id}/disable", id)
                    .then()
                    .statusCode(200)
                    .body("enabled", equalTo(false))
                    .body("disabledReason", equalTo("DISABLED_BY_ADMIN"));
            String whileDisabled = UUID.randomUUID().toString();
            writer.publish(Topics.REFERRALS, whileDisabled, Events.submitted(whileDisabled, sender, org));
            witness.await(r -> r.body().contains(whileDisabled), 1, WAIT); // the event was processed
            assertThat(Api.deliveries(org.adminToken(), id, "").getList("items"))
                    .as("a disabled endpoint gets no deliveries")
                    .isEmpty();

            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .post("/api/v1/webhooks/endpoints/{id}/enable", id)
                    .then()
                    .statusCode(200)
                    .body("enabled", equalTo(true));
            List<String> referrals = List.of(
                    UUID.randomUUID().toString(),
                    UUID.randomUUID().toString(),
                    UUID.randomUUID().toString());
            for (String r : referrals) {
                writer.publish(Topics.REFERRALS, r, Events.submitted(r, sender, org));
            }
            hooks.await(r -> true, 3, WAIT);
            assertThat(hooks.received()).noneMatch(r -> r.body().contains(whileDisabled));

            JsonPath page1 = Api.deliveries(org.adminToken(), id, "?limit=2");
            assertThat(page1.getList("items")).hasSize(2);
            String cursor = page1.getString("nextCursor");
            JsonPath page2 = Api.deliveries(org.adminToken(), id, "?limit=2&cursor=" + cursor);
            assertThat(page2.getList("items")).hasSize(1);
            assertThat(page2.getString("nextCursor")).isNull();
            String deliveryId = page2.getString("items[0].id");
            JsonPath one = Api.awaitDelivery(
                    org.adminToken(), id, deliveryId, j -> j.getString("status").equals("DELIVERED"), WAIT);
            assertThat(one.getInt("attemptLog[0].statusCode")).isEqualTo(200);
            assertThat(one.getLong("attemptLog[0].latencyMs")).isNotNegative();
            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .get("/api/v1/webhooks/endpoints/{id}/attempts?limit=2", id)
                    .then()
                    .statusCode(200)
                    .body("items.size()", equalTo(2))
                    .body("items[0].statusCode", equalTo(200));
            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .get("/api/v1/webhooks/endpoints/{id}/deliveries?limit=201", id)
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", equalTo("limit"));
            given().auth()
                    .oauth2(org.adminToken())
                    .when()
                    .get("/api/v1/webhooks/endpoints/{id}/deliveries?status=LOST", id)
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", equalTo("status"));
            TestOrganisation other = realm.createOrganisation("SK");
            given().auth()
                    .oauth2(other.adminToken())
                    .when()
                    .get("/api/v1/webhooks/endpoints/{id}/deliveries", id)
                    .then()
                    .statusCode(404);
            given().auth()
                    .oauth2(other.adminToken())
                    .when()
                    .post("/api/v1/webhooks/endpoints/{e}/deliveries/{d}/replay", id, deliveryId)
                    .then()
                    .statusCode(404);
        }
    }

    @Test
    void an_owner_may_have_only_a_bounded_number_of_endpoints_and_a_refusal_names_the_limit() throws Exception {
        int max = ConfigProvider.getConfig().getValue("tandem.webhooks.max-endpoints-per-organisation", Integer.class);
        TestOrganisation org = realm.createOrganisation("PL");
        TestOrganisation other = realm.createOrganisation("RO");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < max - 2; i++) {
            ids.add(register(org.adminToken(), i)
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath()
                    .getString("id"));
        }
        // registrations at the same moment cannot together pass the limit: of five, two fit
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<Integer>> racing = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = 100 + i;
                racing.add(pool.submit(() -> register(org.adminToken(), n).statusCode()));
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : racing) {
                codes.add(f.get());
            }
            assertThat(codes).containsExactlyInAnyOrder(201, 201, 409, 409, 409);
        } finally {
            pool.shutdownNow();
        }
        register(org.adminToken(), 200)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:tandem:too-many-endpoints"))
                .body("detail", containsString("already has " + max + " enabled webhook endpoints"))
                .body(
                        "detail",
                        containsString("the limit is " + max + " (tandem.webhooks.max-endpoints-per-organisation)"));
        // another organisation has its own limit
        register(other.adminToken(), 0).then().statusCode(201);
        // a deleted (disabled) endpoint makes room; enabling it again is checked like a new one
        given().auth()
                .oauth2(org.adminToken())
                .when()
                .delete("/api/v1/webhooks/endpoints/{id}", ids.get(0))
                .then()
                .statusCode(204);
        register(org.adminToken(), 201).then().statusCode(201);
        given().auth()
                .oauth2(org.adminToken())
                .when()
                .post("/api/v1/webhooks/endpoints/{id}/enable", ids.get(0))
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:tandem:too-many-endpoints"));

        // the coordinators' network endpoints are bounded the same way
        String coordinator = realm.coordinatorToken();
        long existing = given()
                .auth()
                .oauth2(coordinator)
                .when()
                .get("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("enabled", Boolean.class)
                .stream()
                .filter(Boolean::booleanValue)
                .count();
        List<String> network = new ArrayList<>();
        try {
            for (long i = existing; i < max; i++) {
                network.add(registerNetwork(coordinator, (int) i)
                        .then()
                        .statusCode(201)
                        .extract()
                        .jsonPath()
                        .getString("id"));
            }
            registerNetwork(coordinator, max)
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", containsString("The network already has " + max))
                    .body("detail", containsString("the limit is " + max));
        } finally {
            // leave room for the other tests' network endpoints
            network.forEach(id -> given().auth()
                    .oauth2(coordinator)
                    .when()
                    .delete("/api/v1/webhooks/endpoints/{id}", id)
                    .then()
                    .statusCode(204));
        }
    }

    static io.restassured.response.Response register(String token, int n) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"url\":\"https://hooks.example.org/limit-" + n + "\",\"eventTypes\":[\"*\"]}")
                .when()
                .post("/api/v1/webhooks/endpoints");
    }

    static io.restassured.response.Response registerNetwork(String token, int n) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"url\":\"https://hooks.example.org/network-limit-" + n
                        + "\",\"eventTypes\":[\"organisation.registered\"]}")
                .when()
                .post("/api/v1/webhooks/endpoints");
    }
}
