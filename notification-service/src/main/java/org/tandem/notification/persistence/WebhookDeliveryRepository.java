package org.tandem.notification.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import org.hibernate.Session;

/** The SQL of the delivery queue that Panache cannot say: the claim of due deliveries and its lease. */
@ApplicationScoped
public class WebhookDeliveryRepository {

    /** A due delivery, locked for the caller's transaction. */
    public record Due(long seq, UUID endpointId) {}

    /**
     * A delivery leased to this instance: what sending it needs, its endpoint's included. {@code endpointHealthy}:
     * the endpoint had no failure counted and no alert raised.
     */
    public record Leased(
            long seq,
            UUID id,
            UUID endpointId,
            String payload,
            String traceParent,
            String url,
            SealedSecrets secrets,
            boolean endpointHealthy) {}

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

    @Inject
    AgroalDataSource dataSource;

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
     * Pushes the next attempt of these (locked) deliveries to {@code until}: the lease; and returns them with what
     * their endpoints' rows say about sending them (URL, sealed secrets, health). One statement, in plain JDBC with
     * the numbers as one array parameter, so that its text is the same whatever their count and the driver keeps it
     * prepared on the server; a native query's {@code in (:seqs)} was a new text for every count (#18). The
     * endpoints were a query of their own after it, through Hibernate, on every claim (#18).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Leased> lease(List<Long> seqs, Instant until) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    update webhook_delivery d set next_attempt_at = ?
                    from webhook_endpoint e
                    where d.seq = any(?) and e.id = d.endpoint_id
                    returning d.seq, d.id, d.endpoint_id, d.payload, d.trace_parent, e.url, e.secret_sealed,
                              e.previous_secret_sealed, e.previous_secret_until, e.ed25519_private_key_sealed,
                              e.consecutive_failures = 0 and not e.failing_alerted""")) {
                update.setObject(1, until.atOffset(ZoneOffset.UTC));
                update.setArray(2, connection.createArrayOf("bigint", seqs.toArray(Long[]::new)));
                List<Leased> leased = new ArrayList<>(seqs.size());
                try (ResultSet rows = update.executeQuery()) {
                    while (rows.next()) {
                        UUID endpointId = rows.getObject(3, UUID.class);
                        OffsetDateTime previousUntil = rows.getObject(9, OffsetDateTime.class);
                        leased.add(new Leased(
                                rows.getLong(1),
                                rows.getObject(2, UUID.class),
                                endpointId,
                                rows.getString(4),
                                rows.getString(5),
                                rows.getString(6),
                                new SealedSecrets(
                                        endpointId,
                                        rows.getString(7),
                                        rows.getString(8),
                                        previousUntil == null ? null : previousUntil.toInstant(),
                                        rows.getString(10)),
                                rows.getBoolean(11)));
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
     * {@link #recordDelivered}'s statement, positional for plain JDBC. The successor check reads the statement's
     * snapshot, taken before the update: the delivered row itself is still pending there, hence "p.seq > d.seq".
     */
    private static final String RECORD_DELIVERED = """
            with delivered as (
                update webhook_delivery
                set status = 'DELIVERED', attempts = attempts + 1, last_status_code = cast(? as integer),
                    last_error = null, delivered_at = cast(? as timestamptz)
                where seq = cast(? as bigint) and status = 'PENDING'
                returning seq, id, endpoint_id, ordering_key, attempts),
            logged as (
                insert into webhook_attempt
                    (delivery_id, endpoint_id, attempt, attempted_at, status_code, error, latency_ms)
                select id, endpoint_id, attempts, cast(? as timestamptz), cast(? as integer), null, cast(? as bigint)
                from delivered
                returning delivery_id)
            select (select count(*) from logged) = 1,
                   exists (select 1 from webhook_delivery p join delivered d
                             on p.endpoint_id = d.endpoint_id and p.ordering_key = d.ordering_key
                           where p.status = 'PENDING' and p.seq > d.seq)""";

    /**
     * Records a successful attempt of a pending delivery with one statement, in the caller's transaction: the
     * delivery delivered, its attempt appended to the log, numbered after its earlier ones, and whether a later
     * delivery of its referral to its endpoint now comes due (the dispatcher claims again only then, #18). A read of
     * the delivery and two writes before, three round trips on every webhook. Records nothing when the delivery is
     * no longer pending.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Delivered recordDelivered(
            long seq, Instant attemptedAt, Integer statusCode, long latencyMillis, Instant now) {
        return em.unwrap(Session.class)
                .doReturningWork(
                        connection -> recordDelivered(connection, seq, attemptedAt, statusCode, latencyMillis, now));
    }

    /**
     * {@link #recordDelivered} as a transaction of its own: the one statement on a connection in auto-commit, outside
     * any JTA transaction. One statement is atomic by itself, so this is the same record with one round trip to the
     * database instead of two (the statement, then the commit) and without a transaction manager's begin and commit
     * around it; on every successful webhook (#18). Nothing else may need to be in the same transaction.
     */
    @Transactional(Transactional.TxType.NEVER)
    public Delivered recordDeliveredAlone(
            long seq, Instant attemptedAt, Integer statusCode, long latencyMillis, Instant now) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getAutoCommit()) {
                // the pool's default; set it should a configuration ever change that, or the record would be rolled
                // back when the connection goes back to the pool
                connection.setAutoCommit(true);
            }
            return recordDelivered(connection, seq, attemptedAt, statusCode, latencyMillis, now);
        } catch (SQLException e) {
            throw new IllegalStateException("recording a delivered webhook failed: " + e.getSQLState(), e);
        }
    }

    private static Delivered recordDelivered(
            Connection connection, long seq, Instant attemptedAt, Integer statusCode, long latencyMillis, Instant now)
            throws SQLException {
        try (PreparedStatement record = connection.prepareStatement(RECORD_DELIVERED)) {
            record.setObject(1, statusCode, Types.INTEGER);
            record.setObject(2, now.atOffset(ZoneOffset.UTC));
            record.setLong(3, seq);
            record.setObject(4, attemptedAt.atOffset(ZoneOffset.UTC));
            record.setObject(5, statusCode, Types.INTEGER);
            record.setLong(6, latencyMillis);
            try (ResultSet row = record.executeQuery()) {
                row.next();
                return new Delivered(row.getBoolean(1), row.getBoolean(2));
            }
        }
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
