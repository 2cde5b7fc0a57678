package org.tandem.notification.persistence;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The SQL of the delivery queue that Panache cannot say: the claim of due deliveries and its lease. */
@ApplicationScoped
public class WebhookDeliveryRepository {

    /** A due delivery, locked for the caller's transaction. */
    public record Due(long seq, UUID endpointId) {}

    /** A delivery leased to this instance: what sending it needs. */
    public record Leased(long seq, UUID id, UUID endpointId, String payload, String traceParent) {}

    @Inject
    EntityManager em;

    /**
     * Locks up to {@code scan} due deliveries of enabled endpoints, oldest due first, skipping those that another
     * transaction holds ({@code FOR UPDATE SKIP LOCKED}, so that instances never claim the same one) and those of
     * the {@code busy} endpoints. A delivery waits while an earlier one of its referral to its endpoint is pending
     * (in flight, or waiting for a retry), so at most one delivery per (referral, endpoint) is ever in flight.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Due> lockDue(Instant now, Collection<UUID> busy, int scan) {
        String skipBusy = busy.isEmpty() ? "" : " and d.endpoint_id not in (:busy)";
        var query = em.createNativeQuery("""
                select d.seq, d.endpoint_id from webhook_delivery d
                join webhook_endpoint e on e.id = d.endpoint_id
                where d.status = 'PENDING' and d.next_attempt_at <= :now and e.enabled""" + skipBusy + """

                  and not exists (select 1 from webhook_delivery p
                                  where p.endpoint_id = d.endpoint_id and p.ordering_key = d.ordering_key
                                    and p.status = 'PENDING' and p.seq < d.seq)
                order by d.next_attempt_at, d.seq
                limit :scan
                for update of d skip locked""")
                .setParameter("now", now)
                .setParameter("scan", scan);
        if (!busy.isEmpty()) {
            query.setParameter("busy", busy);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream()
                .map(r -> new Due(((Number) r[0]).longValue(), (UUID) r[1]))
                .toList();
    }

    /** Pushes the next attempt of these (locked) deliveries to {@code until}: the lease. One statement. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Leased> lease(List<Long> seqs, Instant until) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                update webhook_delivery set next_attempt_at = :lease where seq in (:seqs)
                returning seq, id, endpoint_id, payload, trace_parent""")
                .setParameter("lease", until)
                .setParameter("seqs", seqs)
                .getResultList();
        return rows.stream()
                .map(r ->
                        new Leased(((Number) r[0]).longValue(), (UUID) r[1], (UUID) r[2], (String) r[3], (String) r[4]))
                .toList();
    }

    /**
     * Records a successful attempt of a pending delivery with one statement: the delivery delivered and its attempt
     * appended to the log, numbered after its earlier ones. A read of the delivery and two writes before, three round
     * trips on every webhook (#18). Returns false, and changes nothing, when the delivery is no longer pending.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordDelivered(long seq, Instant attemptedAt, Integer statusCode, long latencyMillis, Instant now) {
        return em.createNativeQuery("""
                        with delivered as (
                            update webhook_delivery
                            set status = 'DELIVERED', attempts = attempts + 1, last_status_code = :status,
                                last_error = null, delivered_at = :now
                            where seq = :seq and status = 'PENDING'
                            returning id, endpoint_id, attempts)
                        insert into webhook_attempt
                            (delivery_id, endpoint_id, attempt, attempted_at, status_code, error, latency_ms)
                        select id, endpoint_id, attempts, :attemptedAt, :status, null, :latency from delivered""")
                        .setParameter("status", statusCode)
                        .setParameter("now", now)
                        .setParameter("seq", seq)
                        .setParameter("attemptedAt", attemptedAt)
                        .setParameter("latency", latencyMillis)
                        .executeUpdate()
                == 1;
    }

    /** How many deliveries are pending (due, leased or waiting for a retry). */
    @Transactional(Transactional.TxType.MANDATORY)
    public long pendingCount() {
        return ((Number) em.createNativeQuery("select count(*) from webhook_delivery where status = 'PENDING'")
                        .getSingleResult())
                .longValue();
    }
}
