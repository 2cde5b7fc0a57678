package org.tandem.platform.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

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

    /** Forgets what a consumer processed, so that it can rebuild its read model from the start of a topic. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int forget(String consumer) {
        return em.createNativeQuery("delete from processed_event where consumer = :consumer")
                .setParameter("consumer", consumer)
                .executeUpdate();
    }
}
