package org.tandem.notification.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.common.ServiceCode;
import org.tandem.events.referral.ReferralAccepted;
import org.tandem.events.referral.ReferralAcknowledged;
import org.tandem.events.referral.ReferralRef;
import org.tandem.events.referral.ReferralStatus;
import org.tandem.events.referral.ReferralSubmitted;
import org.tandem.events.referral.Urgency;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * notification-service against real Kafka, Apicurio Registry, PostgreSQL and Keycloak, delivering to a
 * real HTTP receiver. Signatures are checked with StandardWebhooksVerifier, an implementation of the algorithm
 * written in the tests from the specification, not with the library the service uses.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class WebhookDeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper();
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

    static String subscribe(TestOrganisation org, WebhookReceiver receiver, String... types) {
        String typesJson = String.join(
                ",", java.util.Arrays.stream(types).map(t -> "\"" + t + "\"").toList());
        return given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body("{\"url\":\"" + receiver.url("/hooks/tandem") + "\",\"eventTypes\":[" + typesJson + "]}")
                .when()
                .post("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(201)
                .body("secret", startsWith("whsec_"))
                .extract()
                .jsonPath()
                .getString("secret");
    }

    static ReferralRef ref(
            String referralId,
            TestOrganisation sender,
            TestOrganisation receiver,
            ReferralStatus status,
            long version) {
        return ReferralRef.newBuilder()
                .setReferralId(referralId)
                .setVersion(version)
                .setStatus(status)
                .setSenderOrganisationId(sender.id().toString())
                .setReceiverOrganisationId(receiver.id().toString())
                .setSenderCountry(sender.country())
                .setReceiverCountry(receiver.country())
                .build();
    }

    static ReferralSubmitted submitted(
            String eventId, String referralId, TestOrganisation sender, TestOrganisation receiver) {
        return ReferralSubmitted.newBuilder()
                .setEventId(eventId)
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .setReferral(ref(referralId, sender, receiver, ReferralStatus.SUBMITTED, 1))
                .setUrgency(Urgency.URGENT)
                .setRequestedServices(List.of(ServiceCode.SAFE_ACCOMMODATION))
                .setAcknowledgeBy(Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))
                .build();
    }

    static ReferralAccepted accepted(String referralId, TestOrganisation sender, TestOrganisation receiver) {
        return ReferralAccepted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .setReferral(ref(referralId, sender, receiver, ReferralStatus.ACCEPTED, 3))
                .build();
    }

    static boolean signatureIsValid(String secret, WebhookReceiver.Received r) {
        return org.tandem.notification.support.StandardWebhooksVerifier.v1Valid(secret, r);
    }

    @Test
    void a_referral_of_a_pathway_reaches_its_parties_with_the_pathway_id_and_the_stage_and_nothing_more()
            throws Exception {
        TestOrganisation sender = realm.createOrganisation("DE");
        TestOrganisation receiverOrg = realm.createOrganisation("NG");
        try (var receiverHooks = new WebhookReceiver()) {
            subscribe(receiverOrg, receiverHooks, "*");
            String referralId = UUID.randomUUID().toString();
            String pathwayId = UUID.randomUUID().toString();
            ReferralSubmitted event = submitted(UUID.randomUUID().toString(), referralId, sender, receiverOrg);
            event.getReferral().setPathwayId(pathwayId);
            event.getReferral().setStage(org.tandem.events.referral.Stage.RETURN_AND_REINTEGRATION);
            writer.publish(Topics.REFERRALS, referralId, event);
            JsonNode data = JSON.readTree(receiverHooks
                            .await(r -> r.body().contains(referralId), 1, Duration.ofSeconds(30))
                            .get(0)
                            .body())
                    .get("data");
            assertThat(data.get("pathwayId").asText()).isEqualTo(pathwayId);
            assertThat(data.get("stage").asText()).isEqualTo("RETURN_AND_REINTEGRATION");
            assertThat(fieldNames(data))
                    .containsExactlyInAnyOrder(
                            "eventId",
                            "referralId",
                            "status",
                            "version",
                            "senderOrganisationId",
                            "receiverOrganisationId",
                            "occurredAt",
                            "pathwayId",
                            "stage");
        }
    }

    @Test
    void each_party_receives_signed_thin_webhooks_for_the_types_it_subscribed_to_and_nobody_else_does()
            throws Exception {
        TestOrganisation sender = realm.createOrganisation("CY");
        TestOrganisation receiverOrg = realm.createOrganisation("DE");
        TestOrganisation stranger = realm.createOrganisation("IT");
        try (var senderHooks = new WebhookReceiver();
                var receiverHooks = new WebhookReceiver();
                var strangerHooks = new WebhookReceiver()) {
            String receiverSecret = subscribe(receiverOrg, receiverHooks, "*");
            String senderSecret = subscribe(sender, senderHooks, "referral.accepted");
            subscribe(stranger, strangerHooks, "*");
            String referralId = UUID.randomUUID().toString();
            String submittedEventId = UUID.randomUUID().toString();

            writer.publish(Topics.REFERRALS, referralId, submitted(submittedEventId, referralId, sender, receiverOrg));
            var delivered = receiverHooks
                    .await(r -> r.body().contains(referralId), 1, Duration.ofSeconds(30))
                    .get(0);
            assertThat(signatureIsValid(receiverSecret, delivered)).isTrue();
            assertThat(signatureIsValid(senderSecret, delivered))
                    .as("another endpoint's secret must not verify")
                    .isFalse();
            assertThat(Math.abs(Long.parseLong(delivered.header("webhook-timestamp"))
                            - Instant.now().getEpochSecond()))
                    .isLessThan(60);
            JsonNode body = JSON.readTree(delivered.body());
            assertThat(body.get("type").asText()).isEqualTo("referral.submitted");
            assertThat(body.get("data").get("referralId").asText()).isEqualTo(referralId);
            assertThat(body.get("data").get("status").asText()).isEqualTo("SUBMITTED");
            assertThat(fieldNames(body.get("data")))
                    .containsExactlyInAnyOrder(
                            "eventId",
                            "referralId",
                            "status",
                            "version",
                            "senderOrganisationId",
                            "receiverOrganisationId",
                            "occurredAt");

            // the same event again (a redelivery from Kafka) creates no second webhook
            writer.publish(Topics.REFERRALS, referralId, submitted(submittedEventId, referralId, sender, receiverOrg));
            writer.publish(Topics.REFERRALS, referralId, accepted(referralId, sender, receiverOrg));
            var toSender = senderHooks
                    .await(r -> r.body().contains(referralId), 1, Duration.ofSeconds(30))
                    .get(0);
            assertThat(signatureIsValid(senderSecret, toSender)).isTrue();
            assertThat(JSON.readTree(toSender.body()).get("type").asText()).isEqualTo("referral.accepted");
            receiverHooks.await(r -> r.body().contains("referral.accepted"), 1, Duration.ofSeconds(30));
            Thread.sleep(1500);
            assertThat(receiverHooks.received().stream().filter(r -> r.body().contains("referral.submitted")))
                    .hasSize(1);
            assertThat(senderHooks.received()).hasSize(1);
            assertThat(strangerHooks.received()).isEmpty();
        }
    }

    /**
     * The consumer takes a poll's records in one transaction (#18): events published back to back, a redelivery of the
     * first among them, still give each webhook once, and each referral's in the order of its events.
     */
    @Test
    void a_burst_of_events_with_a_redelivery_among_them_gives_each_webhook_once_in_order_per_referral()
            throws Exception {
        TestOrganisation sender = realm.createOrganisation("CY");
        TestOrganisation receiverOrg = realm.createOrganisation("DE");
        try (var receiverHooks = new WebhookReceiver()) {
            subscribe(receiverOrg, receiverHooks, "*");
            List<String> referrals = java.util.stream.IntStream.range(0, 6)
                    .mapToObj(i -> UUID.randomUUID().toString())
                    .toList();
            String firstEventId = UUID.randomUUID().toString();
            for (String referralId : referrals) {
                String eventId = referralId.equals(referrals.get(0))
                        ? firstEventId
                        : UUID.randomUUID().toString();
                writer.publish(Topics.REFERRALS, referralId, submitted(eventId, referralId, sender, receiverOrg));
                writer.publish(Topics.REFERRALS, referralId, accepted(referralId, sender, receiverOrg));
            }
            writer.publish(
                    Topics.REFERRALS, referrals.get(0), submitted(firstEventId, referrals.get(0), sender, receiverOrg));
            receiverHooks.await(r -> referrals.stream().anyMatch(r.body()::contains), 12, Duration.ofSeconds(30));
            Thread.sleep(1500);
            for (String referralId : referrals) {
                List<String> types = receiverHooks.received().stream()
                        .filter(r -> r.body().contains(referralId))
                        .map(r -> {
                            try {
                                return JSON.readTree(r.body()).get("type").asText();
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        })
                        .toList();
                assertThat(types)
                        .as("referral %s", referralId)
                        .containsExactly("referral.submitted", "referral.accepted");
            }
        }
    }

    @Test
    void a_failing_endpoint_gets_the_same_webhook_again_and_later_events_of_that_referral_wait_their_turn()
            throws Exception {
        TestOrganisation sender = realm.createOrganisation("LV");
        TestOrganisation receiverOrg = realm.createOrganisation("IE");
        try (var hooks = new WebhookReceiver()) {
            subscribe(receiverOrg, hooks, "*");
            hooks.respondWith(503);
            String referralId = UUID.randomUUID().toString();
            writer.publish(
                    Topics.REFERRALS,
                    referralId,
                    submitted(UUID.randomUUID().toString(), referralId, sender, receiverOrg));
            var firstTry = hooks.await(r -> r.body().contains("referral.submitted"), 1, Duration.ofSeconds(30))
                    .get(0);
            writer.publish(
                    Topics.REFERRALS,
                    referralId,
                    ReferralAcknowledged.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                            .setReferral(ref(referralId, sender, receiverOrg, ReferralStatus.ACKNOWLEDGED, 2))
                            .setDecideBy(Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))
                            .build());
            Thread.sleep(2000);
            assertThat(hooks.received())
                    .as("the acknowledgement waits while the submission is being retried")
                    .hasSize(1);
            hooks.respondWith(200);
            var all = hooks.await(r -> true, 3, Duration.ofSeconds(30));
            assertThat(all.get(1).header("webhook-id")).isEqualTo(firstTry.header("webhook-id"));
            assertThat(all.get(1).body()).contains("referral.submitted");
            assertThat(all.get(2).body()).contains("referral.acknowledged");
        }
    }

    @Test
    void endpoints_are_checked_and_managed_by_their_own_org_admin_only() {
        TestOrganisation org = realm.createOrganisation("FI");
        TestOrganisation other = realm.createOrganisation("SE");
        given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body("{\"url\":\"ftp://example.org/hook\",\"eventTypes\":[\"*\"]}")
                .when()
                .post("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("url"));
        given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body("{\"url\":\"https://example.org/hook\",\"eventTypes\":[\"referral.exploded\"]}")
                .when()
                .post("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("eventTypes"));
        given().auth()
                .oauth2(org.caseworkerToken())
                .contentType(ContentType.JSON)
                .body("{\"url\":\"https://example.org/hook\",\"eventTypes\":[\"*\"]}")
                .when()
                .post("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(403);
        String id = given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body("{\"url\":\"https://example.org/hook\",\"eventTypes\":[\"*\"]}")
                .when()
                .post("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        given().auth()
                .oauth2(org.adminToken())
                .when()
                .get("/api/v1/webhooks/endpoints/{id}", id)
                .then()
                .statusCode(200)
                .body("$", not(hasKey("secret")));
        given().auth()
                .oauth2(other.adminToken())
                .when()
                .get("/api/v1/webhooks/endpoints/{id}", id)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(other.adminToken())
                .when()
                .delete("/api/v1/webhooks/endpoints/{id}", id)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(org.adminToken())
                .when()
                .delete("/api/v1/webhooks/endpoints/{id}", id)
                .then()
                .statusCode(204);
    }

    static List<String> fieldNames(JsonNode node) {
        var names = new java.util.ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
