package org.tandem.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.registry.OrganisationApproved;
import org.tandem.testing.EventTopicReader;
import org.tandem.testing.Fixtures;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RunningServices;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The foundation slice across the three running services, with real Keycloak tokens, real Kafka, the
 * real schema registry and PostgreSQL: two organisations join the network, one refers a survivor to the
 * other, each learns every step through signed webhooks, and a third organisation sees nothing.
 */
class ReferralSliceIT {

    static RunningServices services;
    static KeycloakRealm realm;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        services = RunningServices.start();
        realm = KeycloakRealm.get();
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    static void join(TestOrganisation org, String name) {
        Members.join(services, realm, org, name);
    }

    static String subscribe(TestOrganisation org, WebhookReceiver receiver) {
        return Members.subscribe(services, org, receiver).secret();
    }

    /** Standard Webhooks verification, written from the specification. */
    static void assertSigned(String secret, WebhookReceiver.Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
        String expected = "v1,"
                + Base64.getEncoder()
                        .encodeToString(mac.doFinal(
                                (r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + r.body())
                                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(List.of(r.header("webhook-signature").split(" "))).contains(expected);
    }

    /** A new referral to {@code receiverId} with a consent that covers a case transfer. */
    static String type(WebhookReceiver.Received r) {
        try {
            return JSON.readTree(r.body()).get("type").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_referral_goes_from_cyprus_to_germany_with_signed_webhooks_at_every_step() throws Exception {
        TestOrganisation cyprus = realm.createOrganisation("CY");
        TestOrganisation germany = realm.createOrganisation("DE");
        TestOrganisation italy = realm.createOrganisation("IT");
        try (var orgEvents = new EventTopicReader(Topics.ORGANISATIONS);
                var cyprusHooks = new WebhookReceiver();
                var germanyHooks = new WebhookReceiver()) {
            join(cyprus, "E2E Cyprus");
            join(germany, "E2E Germany");
            join(italy, "E2E Italy");
            orgEvents.awaitOne(
                    OrganisationApproved.class,
                    e -> e.getOrganisation()
                            .getOrganisationId()
                            .equals(germany.id().toString()),
                    Duration.ofSeconds(30));
            String cyprusSecret = subscribe(cyprus, cyprusHooks);
            String germanySecret = subscribe(germany, germanyHooks);

            String referral = Fixtures.referral(germany.id().toString());
            String[] id = new String[1];
            // referral-service learns of the approvals through the organisations topic
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        var r = given().baseUri(services.referralUrl())
                                .auth()
                                .oauth2(cyprus.caseworkerToken())
                                .contentType(ContentType.JSON)
                                .body(referral)
                                .when()
                                .post("/api/v1/referrals")
                                .then()
                                .extract();
                        id[0] = r.statusCode() == 201 ? r.jsonPath().getString("id") : null;
                        return id[0] != null;
                    });

            Instant submittedAt = Instant.now();
            given().baseUri(services.referralUrl())
                    .auth()
                    .oauth2(cyprus.caseworkerToken())
                    .when()
                    .post("/api/v1/referrals/{id}/submission", id[0])
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("SUBMITTED"));
            var submitted = germanyHooks
                    .await(r -> r.body().contains(id[0]), 1, Duration.ofSeconds(30))
                    .get(0);
            assertSigned(germanySecret, submitted);
            assertThat(type(submitted)).isEqualTo("referral.submitted");
            assertThat(submitted.at()).isBefore(submittedAt.plusSeconds(10));

            given().baseUri(services.referralUrl())
                    .auth()
                    .oauth2(germany.caseworkerToken())
                    .when()
                    .post("/api/v1/referrals/{id}/acknowledgement", id[0])
                    .then()
                    .statusCode(200);
            given().baseUri(services.referralUrl())
                    .auth()
                    .oauth2(germany.caseworkerToken())
                    .when()
                    .post("/api/v1/referrals/{id}/acceptance", id[0])
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("ACCEPTED"));

            var toCyprus = cyprusHooks.await(r -> r.body().contains(id[0]), 3, Duration.ofSeconds(30));
            for (var r : toCyprus) {
                assertSigned(cyprusSecret, r);
            }
            assertThat(toCyprus.stream().map(ReferralSliceIT::type).toList())
                    .containsExactly("referral.submitted", "referral.acknowledged", "referral.accepted");

            given().baseUri(services.referralUrl())
                    .auth()
                    .oauth2(italy.caseworkerToken())
                    .when()
                    .get("/api/v1/referrals/{id}", id[0])
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");

            // closing the loop: the receiver records the outcome, the sender sees it
            given().baseUri(services.referralUrl())
                    .auth()
                    .oauth2(germany.caseworkerToken())
                    .when()
                    .post("/api/v1/referrals/{id}/start", id[0])
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("IN_PROGRESS"));
            given().baseUri(services.referralUrl())
                    .auth()
                    .oauth2(germany.caseworkerToken())
                    .contentType(ContentType.JSON)
                    .body("{\"outcome\":\"SERVICES_PROVIDED\"}")
                    .when()
                    .post("/api/v1/referrals/{id}/completion", id[0])
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("COMPLETED"));
            given().baseUri(services.referralUrl())
                    .auth()
                    .oauth2(cyprus.caseworkerToken())
                    .when()
                    .get("/api/v1/referrals/{id}", id[0])
                    .then()
                    .statusCode(200)
                    .body("outcome.outcome", equalTo("SERVICES_PROVIDED"));
        }
    }

    /**
     * One change followed across the network: the caseworker's request names its trace (a W3C traceparent, as a
     * partner's system or the web application's tracing would), and the request, the outbox relay's publish,
     * notification-service's consumption and the webhook attempt all land in that one trace at the local stack's
     * trace sink. No span attribute carries more than ids and codes (org.tandem.platform.tracing.SpanAttributePolicy).
     */
    @Test
    void one_submission_is_one_trace_from_the_request_to_the_partners_webhook() throws Exception {
        TestOrganisation sender = realm.createOrganisation("CY");
        TestOrganisation receiver = realm.createOrganisation("DE");
        try (var orgEvents = new EventTopicReader(Topics.ORGANISATIONS);
                var hooks = new WebhookReceiver()) {
            join(sender, "E2E Trace Sender");
            join(receiver, "E2E Trace Receiver");
            orgEvents.awaitOne(
                    OrganisationApproved.class,
                    e -> e.getOrganisation()
                            .getOrganisationId()
                            .equals(receiver.id().toString()),
                    Duration.ofSeconds(30));
            subscribe(receiver, hooks);
            String[] id = new String[1];
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        var r = given().baseUri(services.referralUrl())
                                .auth()
                                .oauth2(sender.caseworkerToken())
                                .contentType(ContentType.JSON)
                                .body(Fixtures.referral(receiver.id().toString()))
                                .when()
                                .post("/api/v1/referrals")
                                .then()
                                .extract();
                        id[0] = r.statusCode() == 201 ? r.jsonPath().getString("id") : null;
                        return id[0] != null;
                    });

            var random = new java.security.SecureRandom();
            String traceId = java.util.HexFormat.of().formatHex(random.generateSeed(16));
            String parentSpan = java.util.HexFormat.of().formatHex(random.generateSeed(8));
            given().baseUri(services.referralUrl())
                    .auth()
                    .oauth2(sender.caseworkerToken())
                    .header("traceparent", "00-" + traceId + "-" + parentSpan + "-01")
                    .when()
                    .post("/api/v1/referrals/{id}/submission", id[0])
                    .then()
                    .statusCode(200);
            hooks.await(r -> r.body().contains(id[0]), 1, Duration.ofSeconds(30));

            // each service exports its spans in batches of its own (every few seconds), so one service's spans may
            // arrive seconds after another's: wait until the whole trace is there
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        var trace = services.spans().stream()
                                .filter(s -> s.path("traceId").asText().equals(traceId))
                                .toList();
                        assertThat(trace).anySatisfy(s -> {
                            assertThat(s.path("service").asText()).isEqualTo("referral-service");
                            assertThat(s.path("kind").asText()).isEqualTo("SERVER");
                            assertThat(s.path("parentSpanId").asText()).isEqualTo(parentSpan);
                            assertThat(s.path("attributes").path("http.route").asText())
                                    .isEqualTo("/api/v1/referrals/{id}/submission");
                        });
                        assertThat(trace).anySatisfy(s -> {
                            assertThat(s.path("service").asText()).isEqualTo("referral-service");
                            assertThat(s.path("kind").asText()).isEqualTo("PRODUCER");
                            assertThat(s.path("attributes")
                                            .path("messaging.destination.name")
                                            .asText())
                                    .isEqualTo(Topics.REFERRALS);
                        });
                        assertThat(trace).anySatisfy(s -> {
                            assertThat(s.path("service").asText()).isEqualTo("notification-service");
                            assertThat(s.path("kind").asText()).isEqualTo("CONSUMER");
                        });
                        assertThat(trace).anySatisfy(s -> {
                            assertThat(s.path("service").asText()).isEqualTo("notification-service");
                            assertThat(s.path("name").asText()).startsWith("webhook");
                            assertThat(s.path("attributes")
                                            .path("http.response.status_code")
                                            .asLong())
                                    .isEqualTo(200L);
                        });
                    });

            // every span any service exported: allow-listed keys only, else a redacted value; and nothing of
            // the referral's content or the caller's address
            var all = services.spans();
            assertThat(all)
                    .isNotEmpty()
                    .allSatisfy(s -> s.path("attributes").fields().forEachRemaining(a -> {
                        if (!org.tandem.platform.tracing.SpanAttributePolicy.ALLOWED.contains(a.getKey())) {
                            assertThat(a.getValue().asText())
                                    .as(a.getKey())
                                    .isEqualTo(org.tandem.platform.tracing.SpanAttributePolicy.REDACTED);
                        }
                    }));
            String exported = all.toString();
            assertThat(exported)
                    .doesNotContain("SAFE_ACCOMMODATION", "AGE_18_24", "127.0.0.1", "Bearer ", "REST-Assured");
        }
    }
}
