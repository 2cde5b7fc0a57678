package org.tandem.notification.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.notification.support.Api;
import org.tandem.notification.support.Events;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;

/** Workers are bounded per endpoint, so a slow endpoint does not hold up a fast one. */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class SlowEndpointTest {

    static EventTopicWriter writer;

    @BeforeAll
    static void setUp() {
        writer = new EventTopicWriter();
    }

    @AfterAll
    static void tearDown() {
        writer.close();
    }

    @Test
    void a_slow_endpoint_does_not_hold_up_the_others() {
        KeycloakRealm realm = KeycloakRealm.get();
        TestOrganisation sender = realm.createOrganisation("MT");
        TestOrganisation slowOrg = realm.createOrganisation("LU");
        TestOrganisation fastOrg = realm.createOrganisation("EE");
        try (var slow = new WebhookReceiver();
                var fast = new WebhookReceiver()) {
            slow.respondAfter(Duration.ofMillis(1500)); // below the test profile's 2 s timeout: slow, not failing
            Api.subscribe(slowOrg.adminToken(), slow, null, "*");
            String fastEndpoint =
                    Api.subscribe(fastOrg.adminToken(), fast, null, "*").getString("id");
            int perEndpoint = ConfigProvider.getConfig().getValue("tandem.webhooks.per-endpoint", Integer.class);
            int workers = ConfigProvider.getConfig().getValue("tandem.webhooks.workers", Integer.class);
            assertThat(workers).as("workers left for the other endpoints").isGreaterThan(perEndpoint);
            // per-endpoint at a time, 1.5 s each: the slow endpoint stays busy for about 10 s
            int slowCount = perEndpoint * 7;
            for (int i = 0; i < slowCount; i++) {
                String referral = UUID.randomUUID().toString();
                writer.publish(Topics.REFERRALS, referral, Events.submitted(referral, sender, slowOrg));
            }
            slow.await(r -> true, perEndpoint, Duration.ofSeconds(30)); // it is busy now, with the rest waiting
            int n = 6;
            for (int i = 0; i < n; i++) {
                String referral = UUID.randomUUID().toString();
                writer.publish(Topics.REFERRALS, referral, Events.submitted(referral, sender, fastOrg));
            }
            fast.await(r -> true, n, Duration.ofSeconds(30));
            assertThat(slow.received().size())
                    .as("the fast endpoint had everything while the slow one still waited")
                    .isLessThan(slowCount);
            // and no fast delivery queued behind the slow endpoint's requests (each takes 1.5 s)
            List<Map<String, Object>> items =
                    Api.deliveries(fastOrg.adminToken(), fastEndpoint, "").getList("items");
            assertThat(items).hasSize(n);
            for (Map<String, Object> d : items) {
                var one = Api.awaitDelivery(
                        fastOrg.adminToken(),
                        fastEndpoint,
                        (String) d.get("id"),
                        j -> j.getString("status").equals("DELIVERED"),
                        Duration.ofSeconds(30));
                Duration queued = Duration.between(
                        Instant.parse(one.getString("createdAt")),
                        Instant.parse(one.getString("attemptLog[0].attemptedAt")));
                assertThat(queued)
                        .as("time a fast delivery waited for a worker")
                        .isLessThan(Duration.ofMillis(1000));
            }
            // deliveries are measured (Micrometer, Prometheus format)
            io.restassured.RestAssured.given()
                    .when()
                    .get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("tandem_webhook_attempts_total"))
                    .body(org.hamcrest.Matchers.containsString("result=\"delivered\""))
                    .body(org.hamcrest.Matchers.containsString("tandem_webhook_latency_seconds"))
                    .body(org.hamcrest.Matchers.containsString("tandem_webhook_deliveries_pending"));
        }
    }

    @Test
    void one_endpoint_gets_different_referrals_in_parallel_up_to_its_bound_and_each_referral_in_order() {
        int perEndpoint = ConfigProvider.getConfig().getValue("tandem.webhooks.per-endpoint", Integer.class);
        KeycloakRealm realm = KeycloakRealm.get();
        TestOrganisation sender = realm.createOrganisation("CY");
        TestOrganisation receiverOrg = realm.createOrganisation("HR");
        Duration answerAfter = Duration.ofMillis(300);
        try (var hooks = new WebhookReceiver()) {
            hooks.respondAfter(answerAfter);
            Api.subscribe(receiverOrg.adminToken(), hooks, null, "*");
            List<String> referrals = new ArrayList<>();
            for (int i = 0; i < perEndpoint * 2; i++) {
                String referral = UUID.randomUUID().toString();
                referrals.add(referral);
                writer.publish(Topics.REFERRALS, referral, Events.submitted(referral, sender, receiverOrg));
                writer.publish(Topics.REFERRALS, referral, Events.acknowledged(referral, sender, receiverOrg));
            }
            // the first test of a run also waits for the consumer to join its group
            hooks.await(r -> true, referrals.size() * 2, Duration.ofSeconds(90));
            assertThat(hooks.maxConcurrentRequests())
                    .as("requests in progress at once at one endpoint")
                    .isGreaterThan(1)
                    .isLessThanOrEqualTo(perEndpoint);
            for (String referral : referrals) {
                List<WebhookReceiver.Received> its = hooks.received().stream()
                        .filter(r -> r.body().contains(referral))
                        .toList();
                assertThat(its).hasSize(2);
                assertThat(its.get(0).body()).contains("referral.submitted");
                assertThat(its.get(1).body()).contains("referral.acknowledged");
                assertThat(Duration.between(its.get(0).at(), its.get(1).at()))
                        .as("a referral's next delivery starts only after its previous one was answered")
                        .isGreaterThanOrEqualTo(answerAfter);
            }
        }
    }
}
