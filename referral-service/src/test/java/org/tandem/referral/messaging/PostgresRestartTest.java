package org.tandem.referral.messaging;

import java.time.Duration;
import java.util.List;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.tandem.devstack.Infrastructure;
import org.tandem.events.Topics;
import org.tandem.events.referral.ReferralAccepted;
import org.tandem.events.referral.ReferralAcknowledged;
import org.tandem.events.referral.ReferralSubmitted;
import org.tandem.referral.support.Network;
import org.tandem.testing.EventTopicReader;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestInfrastructure;
import org.tandem.testing.TestOrganisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.tandem.referral.support.Referrals.draft;
import static org.tandem.referral.support.Referrals.post;

/**
 * The outbox across a restart of PostgreSQL (the local stack's stop and start, as the fault run does): an acceptance
 * committed right before the stop and one committed once the database is back are both published, after the
 * referral's earlier events. The relay keeps nothing on a connection that the restart could leave stale
 * (docs/operations.md, "PostgreSQL restarts").
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class PostgresRestartTest {

    @Test
    void acceptances_committed_around_a_database_restart_are_published_in_order() {
        try (Network network = Network.of("PT", "FI");
                EventTopicReader events = new EventTopicReader(Topics.REFERRALS)) {
            TestOrganisation sender = network.get(0);
            TestOrganisation receiver = network.get(1);
            String before = acknowledged(sender, receiver);
            String after = acknowledged(sender, receiver);

            post(receiver.caseworkerToken(), "acceptance", before).statusCode(200);
            TestInfrastructure.stop(Infrastructure.Part.POSTGRES);
            TestInfrastructure.startStopped();
            // the first requests may meet pooled connections that the restart closed: they fail whole, so retry
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> post(receiver.caseworkerToken(), "acceptance", after)
                                    .extract()
                                    .statusCode()
                            == 200);

            for (String id : List.of(before, after)) {
                events.awaitOne(
                        ReferralAccepted.class,
                        e -> e.getReferral().getReferralId().equals(id),
                        Duration.ofSeconds(60));
                assertThat(typesOf(events.seen(), id))
                        .as("referral %s's events in topic order", id)
                        .containsExactly(
                                ReferralSubmitted.class.getSimpleName(),
                                ReferralAcknowledged.class.getSimpleName(),
                                ReferralAccepted.class.getSimpleName());
            }
        }
    }

    private static String acknowledged(TestOrganisation sender, TestOrganisation receiver) {
        String id = draft(sender, receiver, "ROUTINE");
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
        return id;
    }

    /** The distinct event types of one referral, in the order of its partition (duplicates are republishes). */
    private static List<String> typesOf(List<ConsumerRecord<String, SpecificRecord>> seen, String id) {
        return seen.stream()
                .filter(r -> id.equals(r.key()))
                .map(r -> r.value().getClass().getSimpleName())
                .distinct()
                .toList();
    }
}
