package org.tandem.platform.inbox;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.apache.avro.specific.SpecificRecord;
import org.tandem.events.EventRecords;

/**
 * The idempotent-consumer record: which events a consumer has applied. It is written in the same
 * transaction as the event's effect, so an event delivered twice (Kafka is at-least-once, and the outbox
 * relay may resend after a crash) has its effect once.
 */
@ApplicationScoped
public class Inbox {

    @Inject
    EntityManager em;

    /**
     * Records that {@code consumer} is applying {@code eventId}. Returns false when it already did, in
     * which case the caller must skip the effect. Must run in the transaction of the effect.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, String eventId) {
        int inserted = em.createNativeQuery("""
                insert into processed_event (consumer, event_id, processed_at)
                values (:consumer, :eventId, now())
                on conflict do nothing""")
                .setParameter("consumer", consumer)
                .setParameter("eventId", eventId)
                .executeUpdate();
        return inserted == 1;
    }

    /**
     * The skeleton of every event consumer: turns the value of a consumed record into its generated event class
     * ({@link EventRecords#specific}) and records its id as {@link #firstDelivery} does. Empty for a tombstone and
     * for an event the consumer has already applied, when the caller must skip the effect. Must run in the
     * transaction of the effect.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<SpecificRecord> firstDeliveryOf(String consumer, Object recordValue) {
        SpecificRecord event = EventRecords.specific(recordValue);
        if (event == null || !firstDelivery(consumer, EventFields.eventId(event))) {
            return Optional.empty();
        }
        return Optional.of(event);
    }

    /** Forgets what a consumer processed, so that it can rebuild its read model from the start of a topic. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int forget(String consumer) {
        return em.createNativeQuery("delete from processed_event where consumer = :consumer")
                .setParameter("consumer", consumer).executeUpdate();
    }
}
