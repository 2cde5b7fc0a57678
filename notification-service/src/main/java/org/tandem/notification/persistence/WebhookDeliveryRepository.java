package org.tandem.notification.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

/** The SQL of the delivery queue that Panache cannot say: the claim of due deliveries and its lease. */
@ApplicationScoped
public class WebhookDeliveryRepository {

    /** A due delivery, locked for the caller's transaction. */
    public record Due(long seq, UUID endpointId) {}

    /** A delivery leased to this instance: what sending it needs. */
    public record Leased(long seq, UUID id, UUID endpointId, String payload, String traceParent) {}

    /**
     * {@link #lockDue}'s statement: one text whatever the busy endpoints (an array, empty when none), so that the
     * driver keeps it prepared; a native query's {@code not in (:busy)} was a new text for every count.
     */
    private static final String LOCK_DUE = """
            select d.seq, d.endpoint_id from webhook_delivery d
            join webhook_endpoint e on e.id = d.endpoint_id
            where d.status = 'PENDING' and d.next_attempt_at <= ? and e.enabled and d.endpoint_id <> all(?)
              and not exists (select 1 from webhook_delivery p
                              where p.endpoint_id = d.endpoint_id and p.ordering_key = d.ordering_key
                                and p.status = 'PENDING' and p.seq < d.seq)
            order by d.next_attempt_at, d.seq
            limit ?
            for update of d skip locked""";

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
        return em.unwrap(Session.class).doReturningWork(connection -> {
            // PostgreSQL kept re-planning this statement on every claim in some runs (325 µs of planning against
            // 38 of execution, per pg_stat_statements in the benchmark): its cost model preferred custom plans for
            // it. The plan does not depend on the values, so the generic one is forced for this transaction, whose
            // other statements (the lease, the endpoints' read) look rows up by key.
            try (Statement generic = connection.createStatement()) {
                generic.execute("set local plan_cache_mode = force_generic_plan");
            }
            try (PreparedStatement due = connection.prepareStatement(LOCK_DUE)) {
                due.setObject(1, now.atOffset(ZoneOffset.UTC));
                due.setArray(2, connection.createArrayOf("uuid", busy.toArray()));
                due.setInt(3, scan);
                List<Due> locked = new ArrayList<>();
                try (ResultSet rows = due.executeQuery()) {
                    while (rows.next()) {
                        locked.add(new Due(rows.getLong(1), rows.getObject(2, UUID.class)));
                    }
                }
                return locked;
            }
        });
    }

    /**
     * Pushes the next attempt of these (locked) deliveries to {@code until}: the lease. One statement, in plain JDBC
     * with the numbers as one array parameter, so that its text is the same whatever their count and the driver
     * keeps it prepared on the server; a native query's {@code in (:seqs)} was a new text for every count (#18).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Leased> lease(List<Long> seqs, Instant until) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    update webhook_delivery set next_attempt_at = ? where seq = any(?)
                    returning seq, id, endpoint_id, payload, trace_parent""")) {
                update.setObject(1, until.atOffset(ZoneOffset.UTC));
                update.setArray(2, connection.createArrayOf("bigint", seqs.toArray(Long[]::new)));
                List<Leased> leased = new ArrayList<>(seqs.size());
                try (ResultSet rows = update.executeQuery()) {
                    while (rows.next()) {
                        leased.add(new Leased(
                                rows.getLong(1),
                                rows.getObject(2, UUID.class),
                                rows.getObject(3, UUID.class),
                                rows.getString(4),
                                rows.getString(5)));
                    }
                }
                return leased;
            }
        });
    }

    /**
     * What recording a success did: whether the delivery was still pending and is now delivered, and whether a later
     * delivery of the same referral to the same endpoint waits for it (the order rule held it back until now).
     */
    public record Delivered(boolean recorded, boolean successorWaiting) {}

    /**
     * Records a successful attempt of a pending delivery with one statement: the delivery delivered, its attempt
     * appended to the log, numbered after its earlier ones, and whether a later delivery of its referral to its
     * endpoint now comes due (the dispatcher claims again only then, #18). A read of the delivery and two writes
     * before, three round trips on every webhook. Records nothing when the delivery is no longer pending.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Delivered recordDelivered(
            long seq, Instant attemptedAt, Integer statusCode, long latencyMillis, Instant now) {
        // The successor check reads the statement's snapshot, taken before the update: the delivered row itself is
        // still pending there, hence "p.seq > d.seq".
        Object[] row = (Object[]) em.createNativeQuery("""
                        with delivered as (
                            update webhook_delivery
                            set status = 'DELIVERED', attempts = attempts + 1, last_status_code = :status,
                                last_error = null, delivered_at = :now
                            where seq = :seq and status = 'PENDING'
                            returning seq, id, endpoint_id, ordering_key, attempts),
                        logged as (
                            insert into webhook_attempt
                                (delivery_id, endpoint_id, attempt, attempted_at, status_code, error, latency_ms)
                            select id, endpoint_id, attempts, :attemptedAt, :status, null, :latency from delivered
                            returning delivery_id)
                        select (select count(*) from logged) = 1,
                               exists (select 1 from webhook_delivery p join delivered d
                                         on p.endpoint_id = d.endpoint_id and p.ordering_key = d.ordering_key
                                       where p.status = 'PENDING' and p.seq > d.seq)""")
                .setParameter("status", statusCode)
                .setParameter("now", now)
                .setParameter("seq", seq)
                .setParameter("attemptedAt", attemptedAt)
                .setParameter("latency", latencyMillis)
                .getSingleResult();
        return new Delivered((Boolean) row[0], (Boolean) row[1]);
    }

    /**
     * The endpoints an event goes to: the enabled ones of {@code scope} (of these organisations, unless {@code
     * organisations} is null) that subscribe to the event type {@code wireName} or to every type, or all of them
     * when {@code always}.
     */
    public record Recipients(String scope, Collection<UUID> organisations, String wireName, boolean always) {}

    /**
     * Stores one pending delivery, due {@code now}, for each endpoint of {@code to}, oldest endpoint first, with one
     * statement: the endpoints are chosen by the insert itself. Reading their ids first and inserting an entity per
     * endpoint took two statements and Hibernate's identity insert for every event (#18). Returns how many were
     * stored. A delivery is what {@code DeliveryQueue} stores for one endpoint.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int storeFor(
            Recipients to, String eventId, String orderingKey, String payload, Instant now, String traceParent) {
        var query = em.createNativeQuery(
                        """
                        insert into webhook_delivery
                            (id, endpoint_id, event_id, event_type, ordering_key, payload, status, attempts,
                             next_attempt_at, created_at, trace_parent)
                        select gen_random_uuid(), e.id, :eventId, :type, :orderingKey, :payload, 'PENDING', 0,
                               :now, :now, cast(:traceParent as text)
                        from webhook_endpoint e
                        where e.enabled and e.scope = :scope""" + (to.organisations() == null ? "" : " and e.organisation_id in (:organisations)") + """

                          and (:always or e.event_types && cast(array['*', :type] as text[]))
                        order by e.created_at""")
                .setParameter("eventId", eventId)
                .setParameter("type", to.wireName())
                .setParameter("orderingKey", orderingKey)
                .setParameter("payload", payload)
                .setParameter("now", now)
                .setParameter("traceParent", traceParent)
                .setParameter("scope", to.scope())
                .setParameter("always", to.always());
        if (to.organisations() != null) {
            query.setParameter("organisations", to.organisations());
        }
        return query.executeUpdate();
    }

    /** How many deliveries are pending (due, leased or waiting for a retry). */
    @Transactional(Transactional.TxType.MANDATORY)
    public long pendingCount() {
        return ((Number) em.createNativeQuery("select count(*) from webhook_delivery where status = 'PENDING'")
                        .getSingleResult())
                .longValue();
    }
}
