package org.tandem.referral.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.referral.DeadlineKind;
import org.tandem.events.referral.ReferralEscalated;
import org.tandem.referral.service.DeadlineWatch;
import org.tandem.referral.support.AdjustableClock;
import org.tandem.referral.support.Network;
import org.tandem.referral.support.Referrals;
import org.tandem.testing.EventTopicReader;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.referral.support.Referrals.draft;
import static org.tandem.referral.support.Referrals.post;

/**
 * Response deadlines by urgency, and the escalation a missed one raises exactly once. The clock is moved
 * forward instead of waiting; the job is the one the scheduler runs.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class DeadlineEscalationTest {

    static Network network;
    static EventTopicReader events;
    static KeycloakRealm realm;
    static TestOrganisation sender;
    static TestOrganisation receiver;

    @Inject
    AdjustableClock clock;

    @Inject
    DeadlineWatch watch;

    @BeforeAll
    static void organisations() {
        events = new EventTopicReader(Topics.REFERRALS);
        network = Network.of("SE", "GR");
        realm = network.realm;
        sender = network.get(0);
        receiver = network.get(1);
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
        if (events != null) {
            events.close();
        }
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** Two runs of the job at the same moment, as two instances of the service would do. */
    void runConcurrently() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.Callable<Integer> run = () -> {
                start.await();
                return watch.escalateDue();
            };
            var a = pool.submit(run);
            var b = pool.submit(run);
            start.countDown();
            a.get();
            b.get();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void deadlines_follow_the_urgency_and_the_network_configuration() {
        Instant before = Instant.now();
        String emergency = draft(sender, receiver, "EMERGENCY");
        String routine = draft(sender, receiver, "ROUTINE");
        var e = post(sender.caseworkerToken(), "submission", emergency)
                .statusCode(200)
                .extract()
                .jsonPath();
        var r = post(sender.caseworkerToken(), "submission", routine)
                .statusCode(200)
                .extract()
                .jsonPath();
        // application.properties: acknowledge EMERGENCY within PT2H, ROUTINE within PT72H
        assertThat(Duration.between(before, Instant.parse(e.getString("timeline.acknowledgeBy"))))
                .isBetween(Duration.ofHours(2), Duration.ofHours(2).plusMinutes(5));
        assertThat(Duration.between(before, Instant.parse(r.getString("timeline.acknowledgeBy"))))
                .isBetween(Duration.ofHours(72), Duration.ofHours(72).plusMinutes(5));
        var ack = post(receiver.caseworkerToken(), "acknowledgement", emergency)
                .statusCode(200)
                .extract()
                .jsonPath();
        // decide EMERGENCY within PT12H of the acknowledgement
        assertThat(Duration.between(before, Instant.parse(ack.getString("timeline.decideBy"))))
                .isBetween(Duration.ofHours(12), Duration.ofHours(12).plusMinutes(5));
    }

    @Test
    void a_missed_deadline_is_escalated_exactly_once_and_shown_to_the_coordinators_only() throws Exception {
        String id = draft(sender, receiver, "EMERGENCY");
        String onTime = draft(sender, receiver, "ROUTINE");
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        post(sender.caseworkerToken(), "submission", onTime).statusCode(200);

        watch.escalateDue();
        clock.advance(Duration.ofHours(
                3)); // past the 2 h acknowledgement deadline of an emergency, not of a routine referral
        runConcurrently(); // two runs at once, as two instances would
        watch.escalateDue(); // and the next tick

        var escalated = events.await(
                        ReferralEscalated.class,
                        x -> x.getReferral().getReferralId().equals(id),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(escalated.key()).isEqualTo(id);
        assertThat(escalated.value().getMissedDeadline()).isEqualTo(DeadlineKind.ACKNOWLEDGE);
        assertThat(escalated.value().getUrgency().name()).isEqualTo("EMERGENCY");

        // the acknowledgement, late, sets the decision deadline; missing that one is a second, separate escalation
        post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
        clock.advance(Duration.ofHours(13));
        watch.escalateDue();
        watch.escalateDue();
        events.awaitOne(
                ReferralEscalated.class,
                x -> x.getReferral().getReferralId().equals(id) && x.getMissedDeadline() == DeadlineKind.DECIDE,
                Duration.ofSeconds(30));
        // no duplicates, and the routine referral (72 h) was not escalated
        events.await(
                ReferralEscalated.class, x -> x.getReferral().getReferralId().equals(id), 2, Duration.ofSeconds(5));
        assertThat(events.seen().stream()
                        .filter(x -> x.value() instanceof ReferralEscalated s
                                && s.getReferral().getReferralId().equals(id))
                        .count())
                .isEqualTo(2);
        assertThat(events.seen().stream()
                        .anyMatch(x -> x.value() instanceof ReferralEscalated s
                                && s.getReferral().getReferralId().equals(onTime)))
                .isFalse();

        // it is a flag, not a state
        Referrals.read(receiver.caseworkerToken(), id)
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("ACKNOWLEDGED"));
        var coordinatorView = given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .get("/api/v1/coordination/escalations?limit=200")
                .then()
                .statusCode(200)
                .extract();
        List<Map<String, Object>> mine =
                coordinatorView.jsonPath().getList("findAll { it.referralId == '" + id + "' }");
        assertThat(mine).extracting(m -> m.get("missedDeadline")).containsExactlyInAnyOrder("ACKNOWLEDGE", "DECIDE");
        assertThat(mine).allSatisfy(m -> {
            assertThat(m.get("senderCountry")).isEqualTo("SE");
            assertThat(m.get("urgency")).isEqualTo("EMERGENCY");
            assertThat(m).doesNotContainKeys("summary", "consent");
        });
        assertThat(coordinatorView.asString()).doesNotContain("pcm").doesNotContain("AGE_25_34");
        var timeline = Referrals.timeline(sender.caseworkerToken(), id)
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(timeline.getList("findAll { it.step == 'ESCALATED' }.code", String.class))
                .containsExactly("ACKNOWLEDGE", "DECIDE");
        assertThat(timeline.getList("findAll { it.step == 'ESCALATED' }.by", String.class))
                .containsOnly("HUB");
        given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/coordination/escalations")
                .then()
                .statusCode(403);
    }
}
