package org.tandem.notification.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.notification.support.Events;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.notification.support.Api.deliveries;
import static org.tandem.notification.support.Api.subscribe;

/**
 * When the dispatch loop claims (#18): on a stored delivery, and after a finished request only when that request
 * may have made room for more. The poll that would otherwise bring every waiting delivery within a second is set
 * to ten minutes here, so each delivery below is sent only if the right wake-up happened.
 */
@QuarkusTest
@TestProfile(DispatchWakeUpTest.NoPolling.class)
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class DispatchWakeUpTest {

    public static class NoPolling implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tandem.webhooks.poll-interval",
                    "PT10M",
                    "tandem.webhooks.max-backoff",
                    "PT10M",
                    "tandem.webhooks.per-endpoint",
                    Integer.toString(SHARE));
        }
    }

    static final Duration WAIT = Duration.ofSeconds(30);

    /** Requests in flight per endpoint, low so that a few deliveries are more than the share. */
    static final int SHARE = 2;

    static EventTopicWriter writer;
    static KeycloakRealm realm;

    @Inject
    MeterRegistry meters;

    @BeforeAll
    static void setUp() {
        writer = new EventTopicWriter();
        realm = KeycloakRealm.get();
    }

    @AfterAll
    static void tearDown() {
        writer.close();
    }

    @Test
    void a_referrals_held_webhook_goes_as_soon_as_the_one_before_it_is_delivered() {
        TestOrganisation sender = realm.createOrganisation("PT");
        TestOrganisation receiver = realm.createOrganisation("NL");
        try (var hooks = new WebhookReceiver()) {
            String endpointId =
                    subscribe(receiver.adminToken(), hooks, null, "*").getString("id");
            // the first is still in flight when the second is stored, so the order rule holds the second back (the
            // answer comes within the tests' request timeout of 2 s)
            hooks.respondAfter(Duration.ofMillis(1200));
            String referralId = UUID.randomUUID().toString();
            writer.publish(Topics.REFERRALS, referralId, Events.submitted(referralId, sender, receiver));
            hooks.await(r -> r.body().contains(referralId), 1, WAIT);
            writer.publish(Topics.REFERRALS, referralId, Events.acknowledged(referralId, sender, receiver));

            List<WebhookReceiver.Received> both;
            try {
                both = hooks.await(r -> r.body().contains(referralId), 2, WAIT);
            } catch (AssertionError e) {
                throw new AssertionError(
                        e.getMessage() + "; deliveries: "
                                + deliveries(receiver.adminToken(), endpointId, "")
                                        .prettify(),
                        e);
            }
            assertThat(both.get(0).body()).contains("referral.submitted");
            assertThat(both.get(1).body()).contains("referral.acknowledged");
        }
    }

    @Test
    void more_deliveries_than_an_endpoints_share_all_go_as_its_requests_finish() {
        TestOrganisation sender = realm.createOrganisation("PT");
        TestOrganisation receiver = realm.createOrganisation("NL");
        try (var hooks = new WebhookReceiver()) {
            subscribe(receiver.adminToken(), hooks, null, "*");
            hooks.respondAfter(Duration.ofMillis(500));
            // six times the share: once the events have stopped coming (each stored one wakes the loop), most still
            // wait, and only the finished requests of the endpoint can bring them
            int count = 6 * SHARE;
            List<String> referrals = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String referralId = UUID.randomUUID().toString();
                referrals.add(referralId);
                writer.publish(Topics.REFERRALS, referralId, Events.submitted(referralId, sender, receiver));
            }

            List<WebhookReceiver.Received> received =
                    hooks.await(r -> referrals.stream().anyMatch(id -> r.body().contains(id)), count, WAIT);
            assertThat(received).hasSize(count);
            assertThat(hooks.maxConcurrentRequests()).isEqualTo(SHARE);
        }
    }

    @Test
    void a_finished_request_that_made_no_room_claims_nothing() throws InterruptedException {
        TestOrganisation sender = realm.createOrganisation("PT");
        TestOrganisation receiver = realm.createOrganisation("NL");
        try (var hooks = new WebhookReceiver()) {
            subscribe(receiver.adminToken(), hooks, null, "*");
            double emptyBefore = claims("empty");
            double claimedBefore = claims("claimed");
            int webhooks = 10;
            for (int i = 0; i < webhooks; i++) {
                String referralId = UUID.randomUUID().toString();
                writer.publish(Topics.REFERRALS, referralId, Events.submitted(referralId, sender, receiver));
                hooks.await(r -> r.body().contains(referralId), 1, WAIT);
            }
            Thread.sleep(1000); // for a claim that a finished request would wake

            // each webhook took one claim; before, every claim that found one ran again at once, and every
            // finished request woke another: two empty claim transactions per webhook
            assertThat(claims("claimed") - claimedBefore).isBetween(1.0, webhooks + 2.0);
            assertThat(claims("empty") - emptyBefore).isLessThanOrEqualTo(2.0);
        }
    }

    private double claims(String result) {
        return meters.counter("tandem.webhook.claims", "result", result).count();
    }
}
