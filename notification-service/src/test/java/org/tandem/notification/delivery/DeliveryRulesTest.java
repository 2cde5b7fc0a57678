package org.tandem.notification.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.referral.ReferralAccepted;
import org.tandem.events.referral.ReferralStatus;
import org.tandem.notification.domain.RetrySchedule;
import org.tandem.notification.support.Events;
import org.tandem.notification.support.TestClock;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.SmtpSink;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.notification.support.Api.awaitDelivery;
import static org.tandem.notification.support.Api.awaitDeliveryId;
import static org.tandem.notification.support.Api.deliveries;
import static org.tandem.notification.support.Api.endpoint;
import static org.tandem.notification.support.Api.subscribe;

/**
 * The delivery rules of issue 5 against real infrastructure and real HTTP receivers. Time is the
 * service's {@link TestClock}: the tests move it to each scheduled attempt instead of waiting.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class DeliveryRulesTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final TestClock CLOCK = TestClock.INSTANCE;
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

    @AfterEach
    void resetClock() {
        CLOCK.reset();
    }

    record Setup(TestOrganisation sender, TestOrganisation receiver, String endpointId, String secret) {}

    static Setup subscribed(WebhookReceiver hooks, String extraJson) {
        TestOrganisation sender = realm.createOrganisation("PT");
        TestOrganisation receiver = realm.createOrganisation("NL");
        JsonPath ep = subscribe(receiver.adminToken(), hooks, extraJson, "*");
        return new Setup(sender, receiver, ep.getString("id"), ep.getString("secret"));
    }

    static int attemptsOf(JsonPath delivery) {
        return delivery.getInt("attempts");
    }

    @Test
    void a_failing_delivery_is_retried_on_the_schedule_with_jitter_then_dead_lettered_alerted_and_replayed() {
        try (var hooks = new WebhookReceiver();
                var network = new WebhookReceiver()) {
            hooks.respondWith(500);
            subscribe(realm.coordinatorToken(), network, null, "webhook.endpoint_failing");
            Setup s = subscribed(hooks, "\"alertEmail\":\"integration-team@example.org\"");
            String token = s.receiver().adminToken();
            String referralId = UUID.randomUUID().toString();
            writer.publish(Topics.REFERRALS, referralId, Events.submitted(referralId, s.sender(), s.receiver()));
            String deliveryId = awaitDeliveryId(token, s.endpointId(), WAIT);
            List<String> webhookIds = new ArrayList<>();

            for (int attempt = 1; attempt <= RetrySchedule.MAX_ATTEMPTS; attempt++) {
                int expected = attempt;
                JsonPath d = awaitDelivery(token, s.endpointId(), deliveryId, j -> attemptsOf(j) == expected, WAIT);
                webhookIds.add(hooks.await(r -> r.body().contains(referralId), expected, WAIT)
                        .get(expected - 1)
                        .header("webhook-id"));
                if (attempt == RetrySchedule.MAX_ATTEMPTS) {
                    assertThat(d.getString("status")).isEqualTo("DEAD");
                    assertThat(d.getString("deadAt")).isNotNull();
                    break;
                }
                assertThat(d.getString("status")).isEqualTo("PENDING");
                Instant attemptedAt = Instant.parse(d.getString("attemptLog[0].attemptedAt"));
                Instant next = Instant.parse(d.getString("nextAttemptAt"));
                Duration base = RetrySchedule.WAITS.get(attempt - 1);
                Duration wait = Duration.between(attemptedAt, next);
                assertThat(wait)
                        .as("wait after attempt %d", attempt)
                        .isGreaterThanOrEqualTo(base)
                        .isLessThanOrEqualTo(base.plus(base.dividedBy(10)).plusSeconds(2));
                if (attempt == 2) {
                    // not a moment early: just before the due time nothing is sent
                    CLOCK.advanceTo(next.minusSeconds(3));
                    org.tandem.notification.support.Api.pause(700);
                    assertThat(hooks.received()).hasSize(2);
                }
                CLOCK.advanceTo(next);
            }
            assertThat(webhookIds).as("every retry carries the same webhook-id").containsOnly(deliveryId);
            JsonPath dead = deliveries(token, s.endpointId(), "?status=DEAD");
            assertThat(dead.getList("items.id", String.class)).containsExactly(deliveryId);

            // the org-admin is alerted: in her alert list, and by e-mail to the endpoint's contact
            JsonPath alerts = given().auth()
                    .oauth2(token)
                    .when()
                    .get("/api/v1/alerts")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(alerts.getList("items.kind", String.class)).contains("DELIVERY_DEAD_LETTERED");
            assertThat(alerts.getList("items.data.deliveryId", String.class)).contains(deliveryId);
            var mail = SmtpSink.get()
                    .await(
                            m -> m.to().contains("integration-team@example.org")
                                    && m.body().contains(deliveryId),
                            1,
                            WAIT);
            assertThat(mail.get(0).subject()).contains("failed every attempt");
            // and the coordinators were told that the endpoint keeps failing (after 3 in tests)
            JsonPath coordinatorAlerts = given().auth()
                    .oauth2(realm.coordinatorToken())
                    .when()
                    .get("/api/v1/alerts?limit=200")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(coordinatorAlerts.getList("items.data.endpointId", String.class))
                    .contains(s.endpointId());
            var failing = network.await(r -> r.body().contains(s.endpointId()), 1, WAIT)
                    .get(0);
            assertThat(JsonPath.from(failing.body()).getString("type")).isEqualTo("webhook.endpoint_failing");
            assertThat(JsonPath.from(failing.body()).getString("data.organisationId"))
                    .isEqualTo(s.receiver().id().toString());

            // replay of the dead letters, once the receiver is back
            hooks.respondWith(200);
            given().auth()
                    .oauth2(token)
                    .when()
                    .post("/api/v1/webhooks/endpoints/{id}/dead-letters/replay", s.endpointId())
                    .then()
                    .statusCode(202)
                    .body("replayed", org.hamcrest.Matchers.equalTo(1));
            var replayed = hooks.await(
                            r -> r.body().contains(referralId)
                                    && !r.header("webhook-id").equals(deliveryId),
                            1,
                            WAIT)
                    .get(0);
            assertThat(replayed.body()).isEqualTo(hooks.received().get(0).body());
            given().auth()
                    .oauth2(token)
                    .when()
                    .post("/api/v1/webhooks/endpoints/{id}/dead-letters/replay", s.endpointId())
                    .then()
                    .statusCode(202)
                    .body("replayed", org.hamcrest.Matchers.equalTo(0));
            // a past, delivered delivery can be replayed too
            String replayId = replayed.header("webhook-id");
            awaitDelivery(
                    token, s.endpointId(), replayId, j -> j.getString("status").equals("DELIVERED"), WAIT);
            given().auth()
                    .oauth2(token)
                    .when()
                    .post("/api/v1/webhooks/endpoints/{e}/deliveries/{d}/replay", s.endpointId(), replayId)
                    .then()
                    .statusCode(202)
                    .body("replayOf", org.hamcrest.Matchers.equalTo(replayId));
            hooks.await(r -> r.body().contains(referralId), RetrySchedule.MAX_ATTEMPTS + 2, WAIT);
        }
    }

    @Test
    void gone_disables_the_endpoint_and_enabling_it_sends_what_waited() {
        try (var hooks = new WebhookReceiver()) {
            hooks.respondWith(410);
            Setup s = subscribed(hooks, null);
            String token = s.receiver().adminToken();
            String referralId = UUID.randomUUID().toString();
            writer.publish(Topics.REFERRALS, referralId, Events.submitted(referralId, s.sender(), s.receiver()));
            hooks.await(r -> true, 1, WAIT);
            JsonPath ep = awaitEndpoint(token, s.endpointId(), j -> !j.getBoolean("enabled"));
            assertThat(ep.getString("disabledReason")).isEqualTo("GONE");
            CLOCK.advance(Duration.ofMinutes(10));
            org.tandem.notification.support.Api.pause(600);
            assertThat(hooks.received()).as("a disabled endpoint gets nothing").hasSize(1);

            hooks.respondWith(200);
            given().auth()
                    .oauth2(token)
                    .when()
                    .post("/api/v1/webhooks/endpoints/{id}/enable", s.endpointId())
                    .then()
                    .statusCode(200)
                    .body("enabled", org.hamcrest.Matchers.equalTo(true));
            hooks.await(r -> true, 2, WAIT);
        }
    }

    @Test
    void a_success_after_failures_resets_the_endpoints_failure_count() {
        try (var hooks = new WebhookReceiver()) {
            hooks.respondWith(500);
            Setup s = subscribed(hooks, null);
            String token = s.receiver().adminToken();
            String referralId = UUID.randomUUID().toString();
            writer.publish(Topics.REFERRALS, referralId, Events.submitted(referralId, s.sender(), s.receiver()));
            String deliveryId = awaitDeliveryId(token, s.endpointId(), WAIT);
            JsonPath failed = awaitDelivery(token, s.endpointId(), deliveryId, j -> attemptsOf(j) == 1, WAIT);
            assertThat(endpoint(token, s.endpointId()).getInt("consecutiveFailures"))
                    .isEqualTo(1);

            hooks.respondWith(200);
            CLOCK.advanceTo(Instant.parse(failed.getString("nextAttemptAt")));
            JsonPath delivered = awaitDelivery(
                    token, s.endpointId(), deliveryId, j -> "DELIVERED".equals(j.getString("status")), WAIT);
            assertThat(endpoint(token, s.endpointId()).getInt("consecutiveFailures"))
                    .isZero();
            // the success is logged as the second attempt, newest first, beside the failure
            assertThat(delivered.getInt("attempts")).isEqualTo(2);
            assertThat(delivered.getString("deliveredAt")).isNotNull();
            assertThat(delivered.getList("attemptLog.attempt", Integer.class)).containsExactly(2, 1);
            assertThat(delivered.getList("attemptLog.statusCode", Integer.class))
                    .containsExactly(200, 500);
            assertThat(delivered.getString("attemptLog[0].error")).isNull();
            assertThat(delivered.getString("attemptLog[0].deliveryId")).isEqualTo(deliveryId);
        }
    }

    @Test
    void too_many_requests_and_unavailable_honour_retry_after_in_seconds_and_as_a_date() {
        try (var hooks = new WebhookReceiver()) {
            hooks.respondWith(429, Map.of("Retry-After", "120"));
            Setup s = subscribed(hooks, null);
            String token = s.receiver().adminToken();
            String referralId = UUID.randomUUID().toString();
            writer.publish(Topics.REFERRALS, referralId, Events.submitted(referralId, s.sender(), s.receiver()));
            String deliveryId = awaitDeliveryId(token, s.endpointId(), WAIT);
            JsonPath d = awaitDelivery(token, s.endpointId(), deliveryId, j -> attemptsOf(j) == 1, WAIT);
            Duration wait = Duration.between(
                    Instant.parse(d.getString("attemptLog[0].attemptedAt")),
                    Instant.parse(d.getString("nextAttemptAt")));
            assertThat(wait).isBetween(Duration.ofSeconds(119), Duration.ofSeconds(125));
            assertThat(d.getInt("lastStatusCode")).isEqualTo(429);

            String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    CLOCK.instant().plusSeconds(600).atOffset(ZoneOffset.UTC));
            hooks.respondWith(503, Map.of("Retry-After", date));
            CLOCK.advanceTo(Instant.parse(d.getString("nextAttemptAt")));
            d = awaitDelivery(token, s.endpointId(), deliveryId, j -> attemptsOf(j) == 2, WAIT);
            wait = Duration.between(
                    Instant.parse(d.getString("attemptLog[0].attemptedAt")),
                    Instant.parse(d.getString("nextAttemptAt")));
            assertThat(wait).isBetween(Duration.ofSeconds(470), Duration.ofSeconds(601));
        }
    }

    @Test
    void a_redirect_and_a_timeout_are_failures_and_a_redirect_is_not_followed() {
        try (var hooks = new WebhookReceiver();
                var elsewhere = new WebhookReceiver()) {
            hooks.respondWith(307, Map.of("Location", elsewhere.url("/stolen")));
            Setup s = subscribed(hooks, null);
            String token = s.receiver().adminToken();
            String referralId = UUID.randomUUID().toString();
            writer.publish(Topics.REFERRALS, referralId, Events.submitted(referralId, s.sender(), s.receiver()));
            String deliveryId = awaitDeliveryId(token, s.endpointId(), WAIT);
            JsonPath d = awaitDelivery(token, s.endpointId(), deliveryId, j -> attemptsOf(j) == 1, WAIT);
            assertThat(d.getString("status")).isEqualTo("PENDING");
            assertThat(d.getInt("attemptLog[0].statusCode")).isEqualTo(307);
            assertThat(elsewhere.received()).isEmpty();

            hooks.respondWith(200);
            hooks.respondAfter(Duration.ofMillis(3500)); // the test profile's timeout is 2 s
            CLOCK.advanceTo(Instant.parse(d.getString("nextAttemptAt")));
            d = awaitDelivery(token, s.endpointId(), deliveryId, j -> attemptsOf(j) == 2, WAIT);
            assertThat(d.getString("status")).isEqualTo("PENDING");
            assertThat(d.getString("attemptLog[0].error")).isEqualTo("timeout");
            assertThat(d.getLong("attemptLog[0].latencyMs")).isGreaterThanOrEqualTo(1900);
        }
    }

    @Test
    void
            a_receiver_down_for_a_simulated_day_gets_everything_afterwards_in_order_per_referral_without_extra_duplicates() {
        try (var hooks = new WebhookReceiver()) {
            hooks.respondWith(503);
            Setup s = subscribed(hooks, null);
            String token = s.receiver().adminToken();
            List<String> referrals = List.of(
                    UUID.randomUUID().toString(),
                    UUID.randomUUID().toString(),
                    UUID.randomUUID().toString());
            Map<String, List<String>> sentOrder = new LinkedHashMap<>();
            for (String r : referrals) {
                sentOrder.put(r, new ArrayList<>());
            }
            for (String type : List.of("submitted", "acknowledged", "accepted")) {
                for (String r : referrals) {
                    var event = switch (type) {
                        case "submitted" -> Events.submitted(r, s.sender(), s.receiver());
                        case "acknowledged" -> Events.acknowledged(r, s.sender(), s.receiver());
                        default ->
                            ReferralAccepted.newBuilder()
                                    .setEventId(UUID.randomUUID().toString())
                                    .setOccurredAt(Events.now())
                                    .setReferral(Events.ref(r, s.sender(), s.receiver(), ReferralStatus.ACCEPTED, 3))
                                    .build();
                    };
                    writer.publish(Topics.REFERRALS, r, event);
                    sentOrder.get(r).add("referral." + type);
                }
            }
            awaitCount(token, s.endpointId(), 9);
            hooks.await(r -> true, 3, WAIT); // the first event of each referral was tried
            awaitNoneDue(token, s.endpointId(), hooks);
            Instant start = CLOCK.instant();
            // the day: move the clock to each due attempt until a day has passed
            while (true) {
                List<Map<String, Object>> pending = pendingNow(token, s.endpointId()).stream()
                        .filter(p -> (Integer) p.get("attempts") > 0)
                        .toList(); // the others wait their turn
                Instant next = pending.stream()
                        .map(p -> Instant.parse((String) p.get("nextAttemptAt")))
                        .min(Instant::compareTo)
                        .orElseThrow();
                if (next.isAfter(start.plus(Duration.ofDays(1)))) {
                    break;
                }
                int before = hooks.received().size();
                CLOCK.advanceTo(next);
                hooks.await(r -> true, before + 1, WAIT);
                awaitNoneDue(token, s.endpointId(), hooks);
            }
            List<WebhookReceiver.Received> whileDown = hooks.received();
            assertThat(whileDown.stream().map(r -> r.body()).filter(b -> !b.contains("referral.submitted")))
                    .as("later events of a referral wait while its first one is retried")
                    .isEmpty();

            hooks.respondWith(200);
            Instant up = Instant.now();
            CLOCK.advance(Duration.ofHours(25));
            List<WebhookReceiver.Received> after = hooks.await(r -> r.at().isAfter(up), 9, Duration.ofSeconds(60));
            Map<String, List<String>> receivedOrder = new HashMap<>();
            Map<String, Integer> perWebhookId = new HashMap<>();
            for (WebhookReceiver.Received r : after) {
                JsonPath body = JsonPath.from(r.body());
                receivedOrder
                        .computeIfAbsent(body.getString("data.referralId"), k -> new ArrayList<>())
                        .add(body.getString("type"));
                perWebhookId.merge(r.header("webhook-id"), 1, Integer::sum);
            }
            assertThat(receivedOrder).isEqualTo(sentOrder);
            assertThat(perWebhookId.values())
                    .as("each message once after recovery")
                    .containsOnly(1);
            // in all: each webhook-id as often as it was attempted, i.e. duplicates only of failed attempts
            for (String webhookId : perWebhookId.keySet()) {
                int attempts = org.tandem.notification.support.Api.delivery(token, s.endpointId(), webhookId)
                        .getInt("attempts");
                assertThat(hooks.received().stream()
                                .filter(r -> r.header("webhook-id").equals(webhookId)))
                        .hasSize(attempts);
            }
        }
    }

    static JsonPath awaitEndpoint(String token, String id, java.util.function.Predicate<JsonPath> match) {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            JsonPath ep = given().auth()
                    .oauth2(token)
                    .when()
                    .get("/api/v1/webhooks/endpoints/{id}", id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            if (match.test(ep)) {
                return ep;
            }
            assertThat(Instant.now()).isBefore(deadline);
            org.tandem.notification.support.Api.pause(100);
        }
    }

    static void awaitCount(String token, String endpointId, int n) {
        Instant deadline = Instant.now().plus(WAIT);
        while (deliveries(token, endpointId, "?limit=200").getList("items").size() < n) {
            assertThat(Instant.now()).isBefore(deadline);
            org.tandem.notification.support.Api.pause(100);
        }
    }

    static List<Map<String, Object>> pendingNow(String token, String endpointId) {
        return deliveries(token, endpointId, "?status=PENDING&limit=200").getList("items");
    }

    /** Waits until every request the receiver got is recorded as an attempt, and none is due now. */
    static void awaitNoneDue(String token, String endpointId, WebhookReceiver hooks) {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            List<Map<String, Object>> all =
                    deliveries(token, endpointId, "?limit=200").getList("items");
            int attempts =
                    all.stream().mapToInt(d -> (Integer) d.get("attempts")).sum();
            boolean due = all.stream()
                    .filter(d -> "PENDING".equals(d.get("status")) && (Integer) d.get("attempts") > 0)
                    .anyMatch(
                            d -> !Instant.parse((String) d.get("nextAttemptAt")).isAfter(CLOCK.instant()));
            if (attempts == hooks.received().size() && !due) {
                return;
            }
            assertThat(Instant.now()).isBefore(deadline);
            org.tandem.notification.support.Api.pause(100);
        }
    }
}
