package org.tandem.notification.retention;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
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
import org.tandem.testing.RetentionReports;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * notification-service's retention (docs/retention.md), on the moved {@link TestClock}: a delivered webhook
 * delivery is deleted with its attempts after 30 days while a pending one stays however old, and an alert after
 * 90 days but not before; the report shows 0 past the period after each run.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class NotificationRetentionTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static EventTopicWriter writer;
    static KeycloakRealm realm;

    @Inject
    NotificationRetention job;

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
    void deliveries_and_alerts_past_their_period_are_deleted_and_nothing_within_it() {
        TestOrganisation sender = realm.createOrganisation("PT");
        TestOrganisation receiver = realm.createOrganisation("FI");
        try (var hooks = new WebhookReceiver()) {
            String endpoint = Api.subscribe(receiver.adminToken(), hooks, null, "referral.escalated")
                    .getString("id");
            // an endpoint that never answers: its delivery stays pending
            String deadEnd = Api.subscribe(sender.adminToken(), "http://127.0.0.1:9/hooks", null, "referral.escalated")
                    .getString("id");
            String referralId = UUID.randomUUID().toString();
            writer.publish(Topics.REFERRALS, referralId, Events.escalated(referralId, sender, receiver));
            hooks.await(r -> r.body().contains(referralId), 1, WAIT);
            String delivered = Api.awaitDeliveryId(receiver.adminToken(), endpoint, WAIT);
            Api.awaitDelivery(
                    receiver.adminToken(), endpoint, delivered, d -> "DELIVERED".equals(d.getString("status")), WAIT);
            String pending = Api.awaitDeliveryId(sender.adminToken(), deadEnd, WAIT);
            assertThat(alertsPage())
                    .as("the escalation raised a coordinator alert")
                    .anyMatch(body -> body.contains(referralId));

            TestClock.INSTANCE.advance(Duration.ofDays(31));
            assertThat(past(receiver.adminToken(), "webhook-deliveries")).isEqualTo(1);
            job.run(TestClock.INSTANCE.instant());
            assertThat(past(receiver.adminToken(), "webhook-deliveries")).isZero();
            given().auth()
                    .oauth2(receiver.adminToken())
                    .when()
                    .get("/api/v1/webhooks/endpoints/{e}/deliveries/{d}", endpoint, delivered)
                    .then()
                    .statusCode(404);
            // still pending when the job ran (or dead-lettered since by a retry on the moved clock, which starts its
            // period)
            assertThat(Api.delivery(sender.adminToken(), deadEnd, pending).getString("id"))
                    .as("a pending delivery is never deleted")
                    .isEqualTo(pending);
            assertThat(alertsPage())
                    .as("an alert within its 90 days stays")
                    .anyMatch(body -> body.contains(referralId));

            TestClock.INSTANCE.advance(Duration.ofDays(60));
            assertThat(past(realm.coordinatorToken(), "alerts")).isPositive();
            job.run(TestClock.INSTANCE.instant());
            assertThat(past(realm.coordinatorToken(), "alerts")).isZero();
            assertThat(past(realm.coordinatorToken(), "webhook-deliveries")).isZero();
            assertThat(alertsPage()).noneMatch(body -> body.contains(referralId));
        }
    }

    @Test
    void the_report_is_for_coordinators_and_org_admins() {
        TestOrganisation org = realm.createOrganisation("LT");
        assertThat(report(realm.coordinatorToken()).getList("kinds.kind"))
                .containsExactly("webhook-deliveries", "alerts", "audit-log");
        assertThat(report(org.adminToken()).getString("organisation"))
                .isEqualTo(org.id().toString());
        given().auth()
                .oauth2(org.caseworkerToken())
                .when()
                .get("/api/v1/retention/report")
                .then()
                .statusCode(403);
    }

    /** The coordinators' alerts page, as one text. */
    static java.util.List<String> alertsPage() {
        String body = given().auth()
                .oauth2(realm.coordinatorToken())
                .queryParam("limit", 200)
                .when()
                .get("/api/v1/alerts")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return java.util.List.of(body);
    }

    static JsonPath report(String token) {
        return RetentionReports.report(token);
    }

    static long past(String token, String kind) {
        return RetentionReports.pastPeriod(token, kind);
    }
}
