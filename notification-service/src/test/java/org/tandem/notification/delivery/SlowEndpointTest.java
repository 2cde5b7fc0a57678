package org.tandem.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

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

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

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
        try (var slow = new WebhookReceiver(); var fast = new WebhookReceiver()) {
            slow.respondAfter(Duration.ofMillis(1500)); // below the test profile's 2 s timeout: slow, not failing
            Api.subscribe(slowOrg.adminToken(), slow, null, "*");
            Api.subscribe(fastOrg.adminToken(), fast, null, "*");
            int n = 6;
            for (int i = 0; i < n; i++) {
                String slowReferral = UUID.randomUUID().toString();
                writer.publish(Topics.REFERRALS, slowReferral, Events.submitted(slowReferral, sender, slowOrg));
                String fastReferral = UUID.randomUUID().toString();
                writer.publish(Topics.REFERRALS, fastReferral, Events.submitted(fastReferral, sender, fastOrg));
            }
            List<WebhookReceiver.Received> toFast = fast.await(r -> true, n, Duration.ofSeconds(30));
            List<WebhookReceiver.Received> toSlow = slow.await(r -> true, n, Duration.ofSeconds(60));
            var lastFast = toFast.stream().map(WebhookReceiver.Received::at).max(Comparator.naturalOrder()).orElseThrow();
            var slowSorted = toSlow.stream().map(WebhookReceiver.Received::at).sorted().toList();
            // two at a time to the slow endpoint: its 5th request starts only after two rounds of 1.5 s
            assertThat(lastFast).as("the fast endpoint had everything before the slow one got its fifth").isBefore(slowSorted.get(4));
            // deliveries are measured (Micrometer, Prometheus format)
            io.restassured.RestAssured.given().when().get("/q/metrics").then().statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("tandem_webhook_attempts_total"))
                    .body(org.hamcrest.Matchers.containsString("result=\"delivered\""))
                    .body(org.hamcrest.Matchers.containsString("tandem_webhook_latency_seconds"))
                    .body(org.hamcrest.Matchers.containsString("tandem_webhook_deliveries_pending"));
        }
    }
}
