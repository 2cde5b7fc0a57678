package org.tandem.platform.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.QuarkusTransaction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import org.tandem.platform.security.Caller;

/**
 * The append-only, hash-chained audit log of a service. Each entry's hash covers its own fields and the
 * previous entry's hash, so changing or removing any entry breaks every hash after it, which
 * {@link #verify()} detects. Appends are serialised by a transaction-scoped advisory lock, so the chain
 * has one order even with several instances.
 *
 * <p>An action's entries are collected while its transaction runs and recorded just before it commits (a JTA
 * synchronization) through {@code <schema>.record(...)}; the database chains them inside the commit itself (a
 * deferred trigger, audit-owner.sql), so the lock is held for the chaining and the commit record only. Taken at the
 * start of a request, it serialised every request of the service behind one another (the benchmark found 15 of 16
 * pooled connections waiting on it at 50 transitions per second); taken by the service just before the commit, it
 * was held across two round trips and the commit, and a service thread descheduled on a busy machine held up every
 * audited request behind it (#18). A database without {@code record()} gets the service-side chaining.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    /** The hash the first entry of a chain chains onto. */
    public static final String GENESIS = "0".repeat(64);

    /**
     * The schema of this service's audit log, owned by a role of its own that the service cannot act as: the
     * service appends through {@code <schema>.append(...)} and reads; it cannot change, remove or truncate
     * (docs/privacy.md, "Audit trust model"). Its advisory lock key is derived from this name, so each
     * service's chain has a lock of its own.
     */
    @ConfigProperty(name = "tandem.audit.schema")
    String schema;

    @Inject
    EntityManager em;

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    @Inject
    TransactionSynchronizationRegistry transactions;

    /** Whether the database has {@code <schema>.lock_head()}; null until the first append asks. */
    private volatile Boolean lockHeadInstalled;

    /** Whether the database has {@code <schema>.record(...)}; null until the first entry asks. */
    private volatile Boolean recordInstalled;

    @Inject
    TransactionManager transactionManager;

    /** An entry waiting for its transaction's commit to be chained. */
    private record Pending(
            String subject,
            UUID actorOrg,
            Instant at,
            String action,
            String resourceType,
            Object resourceId,
            AuditEntry.Outcome outcome,
            UUID[] concerned) {}

    private static final Object PENDING_KEY = new Object();
    private static final Object SYNCHRONIZED_KEY = new Object();

    /** What a verification found: the chain holds, an entry does not hold, or entries an anchor covers are gone. */
    public enum Status {
        INTACT,
        BROKEN,
        TRUNCATED
    }

    /**
     * The result of checking the chain: {@code entries} checked, the first entry that does not hold (or, when
     * truncated, the first missing one), and the anchor it was checked against, if any.
     */
    public record Verification(boolean intact, Status status, long entries, Long firstBrokenSeq, Long anchorSeq) {

        static Verification intact(long entries, Long anchorSeq) {
            return new Verification(true, Status.INTACT, entries, null, anchorSeq);
        }

        static Verification broken(long entries, long seq, Long anchorSeq) {
            return new Verification(false, Status.BROKEN, entries, seq, anchorSeq);
        }

        static Verification truncated(long entries, long seq, Long anchorSeq) {
            return new Verification(false, Status.TRUNCATED, entries, seq, anchorSeq);
        }

        Verification withAnchor(long seq) {
            return new Verification(intact, status, entries, firstBrokenSeq, seq);
        }
    }

    /** The newest entry of the chain: what an anchor signs. */
    public record Head(long seq, String hash) {}

    /** Records an allowed action in the caller's transaction, so that it commits with the action's effect. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void allowed(String action, String resourceType, Object resourceId, UUID... concerned) {
        append(action, resourceType, resourceId, AuditEntry.Outcome.ALLOWED, concerned);
    }

    /** Refusals written per subject and minute (and instance); the rest are counted, not written. */
    @ConfigProperty(name = "tandem.audit.denied-per-minute", defaultValue = "20")
    int deniedPerMinute;

    /** Per subject: the minute, refusals written in it, refusals suppressed in it. */
    private final java.util.Map<String, long[]> deniedWindows = new java.util.HashMap<>();

    /**
     * Records a denied access in its own transaction, because the request that was denied rolls back. At most
     * {@code tandem.audit.denied-per-minute} refusals of one subject are written per minute, so that a probe cannot
     * flood the log; how many more there were is written as one {@code audit.denials-suppressed} entry with that
     * subject's next refusal after the minute.
     */
    public void denied(String action, String resourceType, Object resourceId, UUID... concerned) {
        deniedAs(caller.subject(), caller.organisationId().orElse(null), action, resourceType, resourceId, concerned);
    }

    /** {@link #denied} for a caller captured before, where the request's context is gone (another thread). */
    void deniedAs(String subject, UUID org, String action, String resourceType, Object resourceId, UUID... concerned) {
        Instant at = now();
        long minute = at.getEpochSecond() / 60;
        long suppressedBefore = 0;
        boolean write;
        synchronized (deniedWindows) {
            if (deniedWindows.size() > 10_000) {
                deniedWindows.values().removeIf(w -> w[0] < minute && w[2] == 0);
            }
            long[] w = deniedWindows.computeIfAbsent(subject, k -> new long[] {minute, 0, 0});
            if (w[0] != minute) {
                suppressedBefore = w[2];
                w[0] = minute;
                w[1] = 0;
                w[2] = 0;
            }
            write = w[1] < deniedPerMinute;
            w[write ? 1 : 2]++;
        }
        DeniedMarker.mark();
        long suppressed = suppressedBefore;
        if (!write && suppressed == 0) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            if (suppressed > 0) {
                insert(
                        subject,
                        org,
                        at,
                        "audit.denials-suppressed",
                        "audit",
                        Long.toString(suppressed),
                        AuditEntry.Outcome.DENIED);
            }
            if (write) {
                insert(subject, org, at, action, resourceType, resourceId, AuditEntry.Outcome.DENIED, concerned);
            }
        });
    }

    /**
     * Registers, as each transaction begins, the synchronization that chains its audit entries at the commit.
     * Synchronizations run in the order they were registered, and Hibernate registers its own (which flushes and
     * then releases the connection) when the session first joins the transaction, before any audit call. Chaining
     * after it made the pool hand out a connection that no one closed before the commit ("Closing open
     * connection(s) prior to commit" on every audited request, issue #18). Registered first, the entries are
     * chained on the session's own connection, before its flush. A transaction without entries pays one lookup.
     */
    void onTransactionBegin(@Observes @Initialized(TransactionScoped.class) Object transaction) {
        try {
            if (transactions.getResource(SYNCHRONIZED_KEY) == null) {
                register();
            }
        } catch (RuntimeException e) {
            // the entries are still chained: append() registers late, as before
        }
    }

    private void append(
            String action, String resourceType, Object resourceId, AuditEntry.Outcome outcome, UUID... concerned) {
        if (transactions.getResource(SYNCHRONIZED_KEY) == null) {
            register();
        }
        @SuppressWarnings("unchecked")
        List<Pending> pending = (List<Pending>) transactions.getResource(PENDING_KEY);
        if (pending == null) {
            pending = new ArrayList<>();
            transactions.putResource(PENDING_KEY, pending);
        }
        pending.add(new Pending(
                caller.subject(),
                caller.organisationId().orElse(null),
                now(),
                action,
                resourceType,
                resourceId,
                outcome,
                concerned));
    }

    private void register() {
        transactions.putResource(SYNCHRONIZED_KEY, Boolean.TRUE);
        Synchronization chain = new Synchronization() {
            @Override
            public void beforeCompletion() {
                @SuppressWarnings("unchecked")
                List<Pending> entries = (List<Pending>) transactions.getResource(PENDING_KEY);
                if (entries != null
                        && transactions.getTransactionStatus() == jakarta.transaction.Status.STATUS_ACTIVE) {
                    entries.forEach(e -> insert(
                            e.subject(),
                            e.actorOrg(),
                            e.at(),
                            e.action(),
                            e.resourceType(),
                            e.resourceId(),
                            e.outcome(),
                            e.concerned()));
                }
            }

            @Override
            public void afterCompletion(int status) {}
        };
        try {
            transactionManager.getTransaction().registerSynchronization(chain);
        } catch (RollbackException | SystemException e) {
            throw new IllegalStateException("cannot audit in a transaction that is already ending", e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private void insert(
            String subject,
            UUID actorOrg,
            Instant at,
            String action,
            String resourceType,
            Object resourceId,
            AuditEntry.Outcome outcome,
            UUID... concerned) {
        UUID[] orgs = concerned == null
                ? new UUID[0]
                : Arrays.stream(concerned)
                        .filter(java.util.Objects::nonNull)
                        .distinct()
                        .sorted()
                        .toArray(UUID[]::new);
        String id = resourceId == null ? null : resourceId.toString();
        if (recordInstalled()) {
            // No lock and no hash here: the database chains the entry inside this transaction's COMMIT
            // (audit-owner.sql, chain_pending()), so the chain's lock is never held while this service runs.
            call("record(?, ?, ?, ?, ?, ?, ?, ?)", at, subject, actorOrg, action, resourceType, id, orgs, outcome);
            return;
        }
        // A database without record() (its administrator has not yet run the new audit-owner.sql): the service
        // chains the entry itself under the chain's lock, held from here until the commit. The transaction's own
        // writes first, so that the lock covers the appends only, not the flush, which would make every audited
        // transaction wait for the writes of the one before. The statements below are plain JDBC, which (unlike a
        // native query) does not flush on its own.
        em.flush();
        String prev = lockedHead();
        String hash = hash(prev, at, subject, actorOrg, action, resourceType, id, orgs, outcome);
        call(
                "append(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                at,
                subject,
                actorOrg,
                action,
                resourceType,
                id,
                orgs,
                outcome,
                prev,
                hash);
    }

    /** Calls {@code <schema>.<function>} with an entry's eight fields first, then {@code more}, in plain JDBC. */
    private void call(
            String function,
            Instant at,
            String subject,
            UUID actorOrg,
            String action,
            String resourceType,
            String id,
            UUID[] orgs,
            AuditEntry.Outcome outcome,
            String... more) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement call = connection.prepareStatement("select " + schema + "." + function)) {
                call.setObject(1, at.atOffset(ZoneOffset.UTC));
                call.setString(2, subject);
                call.setObject(3, actorOrg, Types.OTHER);
                call.setString(4, action);
                call.setString(5, resourceType);
                call.setString(6, id);
                call.setArray(7, connection.createArrayOf("uuid", orgs));
                call.setString(8, outcome.name());
                for (int k = 0; k < more.length; k++) {
                    call.setString(9 + k, more[k]);
                }
                call.executeQuery().close();
            }
        });
    }

    /**
     * Whether the database has {@code <schema>.record(...)} (audit-owner.sql since #18, 2026-12-07), asked once; a
     * database without it keeps working with the entries chained by the service, and the service says so once.
     */
    private boolean recordInstalled() {
        Boolean known = recordInstalled;
        if (known == null) {
            known = em.unwrap(Session.class).doReturningWork(connection -> {
                try (PreparedStatement exists = connection.prepareStatement("select to_regprocedure(?) is not null")) {
                    exists.setString(1, schema + ".record(timestamptz, text, uuid, text, text, text, uuid[], text)");
                    try (ResultSet rs = exists.executeQuery()) {
                        return rs.next() && rs.getBoolean(1);
                    }
                }
            });
            recordInstalled = known;
            if (!known) {
                LOG.warnf(
                        "%s.record() is missing: audited transactions hold the audit chain's lock from their first"
                                + " entry to their commit until audit-owner.sql is run again (docs/privacy.md, \"Audit"
                                + " trust model\")",
                        schema);
            }
        }
        return known;
    }

    /**
     * Forgets which of the database's audit functions were found, so that the next entry asks again. For a test that
     * takes {@code record()} away to exercise the service-side chaining; the service itself asks once per start.
     */
    void forgetDatabaseFunctions() {
        recordInstalled = null;
        lockHeadInstalled = null;
    }

    /**
     * Takes the chain's lock for this transaction and returns the hash the next entry chains onto, with one statement
     * ({@code <schema>.lock_head()}, audit-owner.sql) where the database has it, else with the two it took before (a
     * database whose administrator has not yet run the new audit-owner.sql; logged once).
     */
    private String lockedHead() {
        Boolean known = lockHeadInstalled;
        if (known == null) {
            known = (Boolean) em.createNativeQuery("select to_regprocedure(:f) is not null")
                    .setParameter("f", schema + ".lock_head()")
                    .getSingleResult();
            lockHeadInstalled = known;
            if (!known) {
                LOG.warnf(
                        "%s.lock_head() is missing: each audit entry takes one more statement until audit-owner.sql"
                                + " is run again (docs/privacy.md, \"Audit trust model\")",
                        schema);
            }
        }
        if (known) {
            return em.unwrap(Session.class).doReturningWork(connection -> {
                try (PreparedStatement lockHead = connection.prepareStatement("select " + schema + ".lock_head()");
                        ResultSet head = lockHead.executeQuery()) {
                    head.next();
                    return head.getString(1);
                }
            });
        }
        lockChain();
        return head().map(Head::hash).orElseGet(this::purgedThrough);
    }

    /** Serialises appends of this service's chain (the same key as {@code append()} takes in the database). */
    private void lockChain() {
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(:k, 0))")
                .setParameter("k", "tandem.audit:" + schema)
                .getSingleResult();
    }

    /** The newest entry, if any. */
    @Transactional
    public java.util.Optional<Head> head() {
        @SuppressWarnings("unchecked")
        List<Object[]> last = em.createNativeQuery(
                        "select seq, hash from " + schema + ".audit_log order by seq desc limit 1")
                .getResultList();
        return last.stream().findFirst().map(r -> new Head(((Number) r[0]).longValue(), (String) r[1]));
    }

    /** The hash the remaining chain starts after: the last purged entry's, or the genesis. */
    private String purgedThrough() {
        return purgeBoundary().map(Head::hash).orElse(GENESIS);
    }

    /** The last entry a retention purge removed (sealed by an anchor before), if any. */
    private java.util.Optional<Head> purgeBoundary() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select seq, hash from " + schema + ".audit_purge order by seq desc limit 1")
                .getResultList();
        return rows.stream().findFirst().map(r -> new Head(((Number) r[0]).longValue(), (String) r[1]));
    }

    /**
     * Removes the entries up to and including {@code through}, the head an anchor signed, when that entry is older
     * than {@code olderThan}. The owner's {@code purge()} checks both again and refuses anything younger than the
     * database's own minimum retention. Returns how many entries were removed.
     */
    @Transactional
    public long purge(Head through, Instant olderThan) {
        return ((Number) em.createNativeQuery("select " + schema + ".purge(:seq, :hash, :t)")
                        .setParameter("seq", through.seq())
                        .setParameter("hash", through.hash())
                        .setParameter("t", Timestamp.from(olderThan))
                        .getSingleResult())
                .longValue();
    }

    /** The time of the entry {@code seq}, if it is there. */
    @Transactional
    public java.util.Optional<Instant> timeOf(long seq) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("select at from " + schema + ".audit_log where seq = :s")
                .setParameter("s", seq)
                .getResultList();
        return rows.stream().findFirst().map(AuditLog::instant);
    }

    /** Entries that the organisation's staff did or that concern the organisation, newest first. */
    @Transactional
    public List<AuditEntry> forOrganisation(UUID organisation, Long beforeSeq, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select seq, at, actor_subject, actor_org, action, resource_type, resource_id, concerned_orgs, outcome,
                       prev_hash, hash
                from %s.audit_log where (actor_org = :org or concerned_orgs @> array[cast(:org as uuid)])
                  and seq < :before
                order by seq desc limit :limit""".formatted(schema))
                .setParameter("org", organisation)
                .setParameter("before", beforeSeq == null ? Long.MAX_VALUE : beforeSeq)
                .setParameter("limit", limit)
                .getResultList();
        return rows.stream().map(AuditLog::entry).toList();
    }

    /** Recomputes the whole chain from its first entry (or the purge boundary) and reports the first entry that does not hold. */
    @Transactional
    public Verification verify() {
        return verify(null);
    }

    /**
     * Recomputes the whole chain and checks it against {@code anchor} (a head signed outside the database, may be
     * null): the anchored entry must still be there with the anchored hash. A chain re-computed after a change
     * holds in itself but no longer matches the anchor; a chain cut below the anchor is truncated.
     */
    @Transactional
    public Verification verify(Head anchor) {
        var boundary = purgeBoundary();
        long from = boundary.map(Head::seq).orElse(0L);
        String prev = boundary.map(Head::hash).orElse(GENESIS);
        if (anchor != null && anchor.seq() == from && from > 0 && !anchor.hash().equals(prev)) {
            return Verification.broken(0, from, anchor.seq());
        }
        return walk(from, prev, anchor, 0);
    }

    /**
     * Checks only what came after {@code anchor}: the anchored entry still carries the anchored hash and holds, and
     * every later entry chains onto it. Falls back to {@link #verify(Head)} when the anchored entry was purged.
     */
    @Transactional
    public Verification verifySince(Head anchor) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(SELECT.formatted(schema) + " where seq = :s")
                .setParameter("s", anchor.seq())
                .getResultList();
        if (rows.isEmpty()) {
            if (purgeBoundary().map(b -> b.seq() >= anchor.seq()).orElse(false)) {
                return verify(anchor);
            }
            long newest = head().map(Head::seq).orElse(0L);
            return newest < anchor.seq()
                    ? Verification.truncated(0, newest + 1, anchor.seq())
                    : Verification.broken(0, anchor.seq(), anchor.seq());
        }
        AuditEntry e = entry(rows.get(0));
        if (!e.hash().equals(anchor.hash()) || !e.hash().equals(recompute(e.prevHash(), e))) {
            return Verification.broken(0, e.seq(), anchor.seq());
        }
        return walk(anchor.seq(), anchor.hash(), null, 1).withAnchor(anchor.seq());
    }

    private static final String SELECT = """
            select seq, at, actor_subject, actor_org, action, resource_type, resource_id, concerned_orgs, outcome,
                   prev_hash, hash
            from %s.audit_log""";

    private Verification walk(long afterSeq, String prev, Head anchor, long counted) {
        long count = counted;
        boolean anchorSeen = anchor == null || anchor.seq() <= afterSeq;
        Long anchorSeq = anchor == null ? null : anchor.seq();
        while (true) {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            SELECT.formatted(schema) + " where seq > :after order by seq limit 1000")
                    .setParameter("after", afterSeq)
                    .getResultList();
            if (rows.isEmpty()) {
                if (!anchorSeen) {
                    return Verification.truncated(count, afterSeq + 1, anchorSeq);
                }
                return Verification.intact(count, anchorSeq);
            }
            for (Object[] row : rows) {
                AuditEntry e = entry(row);
                if (!anchorSeen && e.seq() > anchor.seq()) {
                    return Verification.broken(count, anchor.seq(), anchorSeq); // the anchored entry is gone
                }
                if (!e.prevHash().equals(prev) || !e.hash().equals(recompute(prev, e))) {
                    return Verification.broken(count, e.seq(), anchorSeq);
                }
                if (!anchorSeen && e.seq() == anchor.seq()) {
                    if (!e.hash().equals(anchor.hash())) {
                        return Verification.broken(count, e.seq(), anchorSeq);
                    }
                    anchorSeen = true;
                }
                prev = e.hash();
                afterSeq = e.seq();
                count++;
            }
        }
    }

    private static String recompute(String prev, AuditEntry e) {
        return hash(
                prev,
                e.at(),
                e.actorSubject(),
                e.actorOrganisation(),
                e.action(),
                e.resourceType(),
                e.resourceId(),
                e.concernedOrganisations().toArray(UUID[]::new),
                e.outcome());
    }

    public static String hash(
            String prev,
            Instant at,
            String subject,
            UUID actorOrg,
            String action,
            String resourceType,
            String resourceId,
            UUID[] concerned,
            AuditEntry.Outcome outcome) {
        List<String> parts = new ArrayList<>(List.of(
                prev,
                at.toString(),
                subject,
                String.valueOf(actorOrg),
                action,
                resourceType,
                String.valueOf(resourceId),
                outcome.name()));
        for (UUID o : concerned) {
            parts.add(o.toString());
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
                digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) ':');
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Object o) {
        return o instanceof Timestamp t
                ? t.toInstant()
                : o instanceof Instant i ? i : ((java.time.OffsetDateTime) o).toInstant();
    }

    private static AuditEntry entry(Object[] r) {
        Instant at = instant(r[1]);
        UUID[] concerned = r[7] == null ? new UUID[0] : (UUID[]) r[7];
        return new AuditEntry(
                ((Number) r[0]).longValue(),
                at,
                (String) r[2],
                (UUID) r[3],
                (String) r[4],
                (String) r[5],
                (String) r[6],
                List.of(concerned),
                AuditEntry.Outcome.valueOf((String) r[8]),
                (String) r[9],
                (String) r[10]);
    }
}
