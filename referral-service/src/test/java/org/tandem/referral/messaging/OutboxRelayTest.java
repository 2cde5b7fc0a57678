package org.tandem.referral.messaging;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.referral.ReferralAccepted;
import org.tandem.events.referral.ReferralRef;
import org.tandem.events.referral.ReferralStatus;
import org.tandem.platform.outbox.Outbox;
import org.tandem.platform.outbox.RelayLock;
import org.tandem.testing.EventTopicReader;
import org.tandem.testing.TandemInfraResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbox relay (platform {@code OutboxRelay}) against the real database and broker: the events of one
 * transaction are published once each, in order, and their rows are then marked published with one attempt and
 * their payload as it was written; a row that stayed unmarked would be sent again at every round.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class OutboxRelayTest {

    @Inject
    Outbox outbox;

    @Inject
    EntityManager em;

    /** A made-up acceptance: random ids, nobody's referral. */
    static ReferralAccepted accepted(String referralId, long version) {
        return ReferralAccepted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setReferral(ReferralRef.newBuilder()
                        .setReferralId(referralId)
                        .setVersion(version)
                        .setStatus(ReferralStatus.ACCEPTED)
                        .setSenderOrganisationId(UUID.randomUUID().toString())
                        .setReceiverOrganisationId(UUID.randomUUID().toString())
                        .setSenderCountry("PT")
                        .setReceiverCountry("NL")
                        .build())
                .build();
    }

    @Test
    void each_event_is_published_once_in_order_and_its_row_marked_with_one_attempt_and_its_payload_untouched()
            throws InterruptedException {
        String referralId = UUID.randomUUID().toString();
        List<ReferralAccepted> events =
                List.of(accepted(referralId, 1), accepted(referralId, 2), accepted(referralId, 3));
        List<byte[]> written = new ArrayList<>();
        try (var reader = new EventTopicReader(Topics.REFERRALS)) {
            QuarkusTransaction.requiringNew()
                    .run(() ->
                            events.forEach(e -> written.add(outbox.append(Topics.REFERRALS, referralId, e).payload)));

            var published = reader.await(
                    ReferralAccepted.class,
                    e -> e.getReferral().getReferralId().equals(referralId),
                    3,
                    Duration.ofSeconds(30));
            assertThat(published)
                    .extracting(r -> r.value().getEventId())
                    .containsExactlyElementsOf(
                            events.stream().map(ReferralAccepted::getEventId).toList());

            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> rows(referralId).stream().allMatch(r -> r[1] != null));
            // longer than the relay's poll interval (1 s): an unmarked row would have gone out again by now
            Thread.sleep(2500);
            reader.readFor(Duration.ofSeconds(1));
            assertThat(reader.seen().stream()
                            .filter(r -> r.value() instanceof ReferralAccepted a
                                    && a.getReferral().getReferralId().equals(referralId)))
                    .hasSize(3);
            List<Object[]> rows = rows(referralId);
            assertThat(rows).hasSize(3);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(((Number) rows.get(i)[0]).intValue()).as("attempts").isEqualTo(1);
                assertThat((byte[]) rows.get(i)[2]).as("payload").isEqualTo(written.get(i));
            }
        }
    }

    @Test
    void an_event_is_stored_only_with_the_transaction_that_appended_it_and_under_the_id_it_was_given() {
        String rolledBack = UUID.randomUUID().toString();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    outbox.append(Topics.REFERRALS, rolledBack, accepted(rolledBack, 1));
                    throw new IllegalStateException("the change after the event failed");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(rows(rolledBack))
                .as("the outbox rows of a rolled-back transaction")
                .isEmpty();

        String committed = UUID.randomUUID().toString();
        ReferralAccepted event = accepted(committed, 1);
        long id = QuarkusTransaction.requiringNew().call(() -> outbox.append(Topics.REFERRALS, committed, event).id);
        Object storedEventId = QuarkusTransaction.requiringNew()
                .call(() -> em.createNativeQuery("select event_id from referral.outbox_event where id = :id")
                        .setParameter("id", id)
                        .getSingleResult());
        assertThat(storedEventId.toString()).isEqualTo(event.getEventId());
    }

    /**
     * One relay of a service publishes at a time: while another holds the relay's lock (another instance's relay in
     * the middle of its round), this one's rounds read nothing, and once the lock is free the event goes out.
     */
    @Test
    void no_event_is_published_while_another_relay_holds_the_lock() throws Exception {
        var held = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var otherRelay = Executors.newSingleThreadExecutor();
        try {
            Future<?> holding =
                    otherRelay.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
                        em.createNativeQuery("select pg_advisory_xact_lock(:c, :k)")
                                .setParameter("c", RelayLock.RELAY_CLASS)
                                .setParameter("k", RelayLock.keyOf("referral"))
                                .getSingleResult();
                        held.countDown();
                        try {
                            release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }));
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
            String referralId = UUID.randomUUID().toString();
            QuarkusTransaction.requiringNew()
                    .run(() -> outbox.append(Topics.REFERRALS, referralId, accepted(referralId, 1)));
            // the relay is woken by the commit and polls every second: two and a half seconds of rounds
            Thread.sleep(2500);
            assertThat(rows(referralId))
                    .singleElement()
                    .satisfies(row -> assertThat(row[1]).as("published_at").isNull());
            release.countDown();
            holding.get(30, TimeUnit.SECONDS);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> rows(referralId).get(0)[1] != null);
        } finally {
            release.countDown();
            otherRelay.shutdownNow();
        }
    }

    /** attempts, published_at and payload of the referral's outbox rows, in id order. */
    private List<Object[]> rows(String referralId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows =
                    em.createNativeQuery("""
                            select attempts, published_at, payload from referral.outbox_event
                            where message_key = :key order by id""").setParameter("key", referralId).getResultList();
            return rows;
        });
    }
}
