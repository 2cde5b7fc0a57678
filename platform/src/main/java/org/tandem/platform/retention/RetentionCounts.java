package org.tandem.platform.retention;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Counts for the retention report from one SQL select that yields {@code (oldest, past)}: the earliest start
 * of a period and how many started before the cutoff. Also the audit log's row, which every service has.
 */
@ApplicationScoped
public class RetentionCounts {

    private static final UUID NOBODY = new UUID(0, 0);

    @Inject
    EntityManager em;

    /**
     * Runs {@code sql}, which selects {@code min(start), count(*) filter (where start < :cutoff)}, with the
     * parameter {@code :cutoff}; {@code :now} when it names it; and when it names {@code :org}, that and
     * {@code :all}, which is true when {@code org} is null (the whole network).
     */
    public RetentionReport.Row row(
            RetentionPolicy policy, RetentionKind kind, Instant now, UUID org, String sql, String enforcedBy) {
        var q = em.createNativeQuery(sql).setParameter("cutoff", policy.cutoff(kind, now));
        if (sql.contains(":org")) {
            q.setParameter("all", org == null).setParameter("org", org == null ? NOBODY : org);
        }
        if (sql.contains(":now")) {
            q.setParameter("now", now);
        }
        Object[] r = (Object[]) q.getSingleResult();
        return RetentionReport.row(policy, kind, instant(r[0]), ((Number) r[1]).longValue(), enforcedBy);
    }

    /** The schema of the audit log, owned by the audit owner role (docs/privacy.md, "Audit trust model"). */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "tandem.audit.schema")
    String auditSchema;

    /** The audit log: purged after its segments are sealed by an anchor (docs/retention.md). */
    public RetentionReport.Row auditLog(RetentionPolicy policy, Instant now, UUID org) {
        return row(
                policy,
                RetentionKind.AUDIT_LOG,
                now,
                org,
                """
                select min(at), count(*) filter (where at < :cutoff) from %s.audit_log
                where :all or actor_org = :org or :org = any (concerned_orgs)""".formatted(auditSchema),
                "audit-log anchoring (sealed segments are dropped)");
    }

    /** The topic row: the broker enforces it, so the service reports the period only. */
    public static RetentionReport.Row topic(RetentionPolicy policy, RetentionKind kind) {
        return RetentionReport.row(policy, kind, null, null, "Kafka retention.ms");
    }

    /** A timestamp as a native query returns it. */
    public static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case java.sql.Timestamp t -> t.toInstant();
            default ->
                throw new IllegalStateException(
                        "not a timestamp: " + value.getClass().getName());
        };
    }

    /** The rows of a report in the order of {@link RetentionKind}. */
    public static List<RetentionReport.Row> ordered(List<RetentionReport.Row> rows) {
        return rows.stream()
                .sorted(java.util.Comparator.comparingInt(r -> kindOrder(r.kind())))
                .toList();
    }

    private static int kindOrder(String name) {
        for (RetentionKind k : RetentionKind.values()) {
            if (k.reportName().equals(name)) {
                return k.ordinal();
            }
        }
        return Integer.MAX_VALUE;
    }
}
