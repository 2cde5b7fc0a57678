package org.tandem.referral.service;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.tandem.platform.audit.AuditLog;
import org.tandem.referral.config.StatisticsConfig;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.Urgency;
import org.tandem.referral.rest.CoordinatorStatistics;
import org.tandem.referral.rest.CoordinatorStatistics.Escalation;
import org.tandem.referral.rest.CoordinatorStatistics.FlowCell;
import org.tandem.referral.rest.CoordinatorStatistics.Measure;
import org.tandem.referral.rest.CoordinatorStatistics.ResponseTime;
import org.tandem.referral.rest.CoordinatorStatistics.StateAge;
import org.tandem.referral.rest.CoordinatorStatistics.StatusAgeCell;
import org.tandem.referral.rest.CoordinatorStatistics.StatusUrgencyCell;

/**
 * The coordinators' views over referral metadata (never the summary's bands, the consent or a file).
 * Drafts are the sender's own work and are left out. Counts below the suppression threshold never leave
 * this class as numbers, and neither do response times computed from fewer referrals than that.
 */
@ApplicationScoped
public class CoordinatorViews {

    private static final String SUBMITTED_SINCE = "status <> 'DRAFT' and submitted_at is not null and submitted_at >= :since";

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    StatisticsConfig config;

    @Inject
    AuditLog audit;

    @Transactional
    public CoordinatorStatistics statistics(Instant since) {
        Instant now = clock.instant();
        Instant from = since == null ? Instant.EPOCH : since;
        int threshold = config.threshold();
        audit.allowed("statistics.read", "statistics", null);

        List<StatusUrgencyCell> byUrgency = new ArrayList<>();
        for (Object[] r : rows("select status, urgency, count(*) from referral where " + SUBMITTED_SINCE
                + " group by status, urgency order by status, urgency", from)) {
            long n = ((Number) r[2]).longValue();
            byUrgency.add(new StatusUrgencyCell(Referral.Status.valueOf((String) r[0]), Urgency.valueOf((String) r[1]),
                    shown(n, threshold), n < threshold));
        }

        List<StatusAgeCell> byAge = new ArrayList<>();
        String age = """
                case when updated_at > :day1 then 'UNDER_1_DAY'
                     when updated_at > :day3 then 'DAYS_1_TO_3'
                     when updated_at > :day7 then 'DAYS_3_TO_7'
                     else 'OVER_7_DAYS' end""";
        @SuppressWarnings("unchecked")
        List<Object[]> ageRows = em.createNativeQuery("select status, " + age + " as age, count(*) from referral where "
                + SUBMITTED_SINCE + " group by 1, 2 order by 1, 2")
                .setParameter("since", Timestamp.from(from))
                .setParameter("day1", Timestamp.from(now.minus(Duration.ofDays(1))))
                .setParameter("day3", Timestamp.from(now.minus(Duration.ofDays(3))))
                .setParameter("day7", Timestamp.from(now.minus(Duration.ofDays(7)))).getResultList();
        for (Object[] r : ageRows) {
            long n = ((Number) r[2]).longValue();
            byAge.add(new StatusAgeCell(Referral.Status.valueOf((String) r[0]), StateAge.valueOf((String) r[1]),
                    shown(n, threshold), n < threshold));
        }

        List<FlowCell> flows = new ArrayList<>();
        for (Object[] r : rows("select sender_country, receiver_country, count(*) from referral where " + SUBMITTED_SINCE
                + " group by 1, 2 order by 1, 2", from)) {
            long n = ((Number) r[2]).longValue();
            flows.add(new FlowCell(r[0].toString().strip(), r[1].toString().strip(), shown(n, threshold), n < threshold));
        }

        List<ResponseTime> times = new ArrayList<>();
        times.addAll(responseTimes(Measure.TIME_TO_ACKNOWLEDGE, "acknowledged_at - submitted_at", "acknowledged_at", from, threshold));
        times.addAll(responseTimes(Measure.TIME_TO_DECIDE, "decided_at - acknowledged_at", "decided_at", from, threshold));
        return new CoordinatorStatistics(now, since, threshold, byUrgency, byAge, flows, times);
    }

    /** Missed deadlines, newest first: ids and metadata, nothing about the survivor. */
    @Transactional
    public List<Escalation> escalations(Instant since, int limit) {
        audit.allowed("escalations.read", "statistics", null);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select x.referral_id, x.kind, x.due_at, x.escalated_at, r.urgency, r.status,
                       r.sender_org, r.sender_country, r.receiver_org, r.receiver_country
                from referral_escalation x join referral r on r.id = x.referral_id
                where x.escalated_at >= :since
                order by x.escalated_at desc, x.referral_id limit :limit""")
                .setParameter("since", Timestamp.from(since == null ? Instant.EPOCH : since))
                .setParameter("limit", limit).getResultList();
        return rows.stream().map(r -> new Escalation((UUID) r[0], (String) r[1], instant(r[2]), instant(r[3]),
                Urgency.valueOf((String) r[4]), Referral.Status.valueOf((String) r[5]), (UUID) r[6], r[7].toString().strip(),
                (UUID) r[8], r[9].toString().strip())).toList();
    }

    private List<ResponseTime> responseTimes(Measure measure, String interval, String endColumn, Instant from, int threshold) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select urgency, count(*),
                       percentile_cont(0.5) within group (order by extract(epoch from %1$s)),
                       percentile_cont(0.9) within group (order by extract(epoch from %1$s))
                from referral where %2$s and %3$s is not null
                group by rollup (urgency) order by urgency nulls last""".formatted(interval, SUBMITTED_SINCE, endColumn))
                .setParameter("since", Timestamp.from(from)).getResultList();
        List<ResponseTime> out = new ArrayList<>();
        for (Object[] r : rows) {
            long n = ((Number) r[1]).longValue();
            Urgency urgency = r[0] == null ? null : Urgency.valueOf((String) r[0]);
            if (n < threshold) {
                out.add(new ResponseTime(measure, urgency, null, null, null, true));
            } else {
                out.add(new ResponseTime(measure, urgency, n, Math.round(((Number) r[2]).doubleValue()),
                        Math.round(((Number) r[3]).doubleValue()), false));
            }
        }
        return out;
    }

    private List<Object[]> rows(String sql, Instant from) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(sql).setParameter("since", Timestamp.from(from)).getResultList();
        return rows;
    }

    private static Long shown(long n, int threshold) {
        return n < threshold ? null : n;
    }

    private static Instant instant(Object o) {
        return o instanceof Timestamp t ? t.toInstant() : o instanceof Instant i ? i : ((OffsetDateTime) o).toInstant();
    }
}
