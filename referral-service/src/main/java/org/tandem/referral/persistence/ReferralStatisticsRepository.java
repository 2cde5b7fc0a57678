package org.tandem.referral.persistence;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The coordinators' counts over the {@code referral} table, in native SQL: every query counts the referrals
 * <em>submitted</em> in {@code [from, until)} (never drafts), grouped by the month of their submission (UTC).
 */
@ApplicationScoped
public class ReferralStatisticsRepository {

    private static final String SUBMITTED_IN =
            "status <> 'DRAFT' and submitted_at is not null and submitted_at >= :from and submitted_at < :until";
    private static final String MONTH = "cast(extract(month from submitted_at at time zone 'UTC') as integer)";

    /**
     * One group's count.
     *
     * @param month 0 for January to 11 for December
     * @param first and {@code second}: the group's two values (status and urgency, status and age band, sender
     *            and receiver country)
     */
    public record MonthlyCount(int month, String first, String second, long count) {}

    /**
     * A response time's median and 90th percentile in seconds over a group of {@code count} referrals.
     *
     * @param urgency null for the row of all urgencies together
     */
    public record Percentiles(String urgency, long count, Double median, Double p90) {}

    @Inject
    EntityManager em;

    public List<MonthlyCount> byStatusAndUrgency(Instant from, Instant until) {
        return counts(
                "select " + MONTH + ", status, urgency, count(*) from referral where " + SUBMITTED_IN
                        + " group by 1, 2, 3",
                from,
                until,
                Map.of());
    }

    /** By status and the age of the current state at {@code now}: UNDER_1_DAY, DAYS_1_TO_3, DAYS_3_TO_7, OVER_7_DAYS. */
    public List<MonthlyCount> byStatusAndStateAge(Instant from, Instant until, Instant now) {
        String age = """
                case when updated_at > :day1 then 'UNDER_1_DAY'
                     when updated_at > :day3 then 'DAYS_1_TO_3'
                     when updated_at > :day7 then 'DAYS_3_TO_7'
                     else 'OVER_7_DAYS' end""";
        return counts(
                "select " + MONTH + ", status, " + age + ", count(*) from referral where " + SUBMITTED_IN
                        + " group by 1, 2, 3",
                from,
                until,
                Map.of(
                        "day1",
                        now.minus(Duration.ofDays(1)),
                        "day3",
                        now.minus(Duration.ofDays(3)),
                        "day7",
                        now.minus(Duration.ofDays(7))));
    }

    /** By status and stage of the procedure. */
    public List<MonthlyCount> byStatusAndStage(Instant from, Instant until) {
        return counts(
                "select " + MONTH + ", status, stage, count(*) from referral where " + SUBMITTED_IN
                        + " group by 1, 2, 3",
                from,
                until,
                Map.of());
    }

    /** By sender and receiver country (ISO 3166-1 alpha-2). */
    public List<MonthlyCount> byCountryPair(Instant from, Instant until) {
        return counts(
                "select " + MONTH + ", sender_country, receiver_country, count(*) from referral where " + SUBMITTED_IN
                        + " group by 1, 2, 3",
                from,
                until,
                Map.of());
    }

    /**
     * Pathways by their number of submitted referrals ({@code ONE}, {@code TWO}, {@code THREE}, {@code FOUR_OR_MORE},
     * in {@code second}; {@code first} is always {@code PATHWAY}), each in the month its first referral was
     * submitted, if that is in {@code [from, until)}, and with its current number of referrals. No pathway id
     * leaves the query.
     */
    public List<MonthlyCount> pathwaysByLength(Instant from, Instant until) {
        return counts("""
                select cast(extract(month from first_at at time zone 'UTC') as integer), 'PATHWAY',
                       case referrals when 1 then 'ONE' when 2 then 'TWO' when 3 then 'THREE' else 'FOUR_OR_MORE' end,
                       count(*)
                from (select min(submitted_at) as first_at, count(*) as referrals from referral
                      where status <> 'DRAFT' and submitted_at is not null group by pathway_id) p
                where first_at >= :from and first_at < :until
                group by 1, 2, 3""", from, until, Map.of());
    }

    /** Submission to acknowledgement, per urgency and for all urgencies (urgency null). */
    public List<Percentiles> timeToAcknowledge(Instant from, Instant until) {
        return percentiles("acknowledged_at - submitted_at", "acknowledged_at", from, until);
    }

    /** Acknowledgement to acceptance or decline, per urgency and for all urgencies (urgency null). */
    public List<Percentiles> timeToDecide(Instant from, Instant until) {
        return percentiles("decided_at - acknowledged_at", "decided_at", from, until);
    }

    private List<Percentiles> percentiles(String interval, String endColumn, Instant from, Instant until) {
        return rows("""
                select urgency, count(*),
                       percentile_cont(0.5) within group (order by extract(epoch from %1$s)),
                       percentile_cont(0.9) within group (order by extract(epoch from %1$s))
                from referral where %2$s and %3$s is not null
                group by rollup (urgency)""".formatted(interval, SUBMITTED_IN, endColumn), from, until, Map.of()).stream()
                .map(r -> new Percentiles((String) r[0], ((Number) r[1]).longValue(), seconds(r[2]), seconds(r[3])))
                .toList();
    }

    private List<MonthlyCount> counts(String sql, Instant from, Instant until, Map<String, Instant> more) {
        // countries are char(2): strip the padding a shorter value would get
        return rows(sql, from, until, more).stream()
                .map(r -> new MonthlyCount(
                        ((Number) r[0]).intValue() - 1,
                        r[1].toString().strip(),
                        r[2].toString().strip(),
                        ((Number) r[3]).longValue()))
                .toList();
    }

    private List<Object[]> rows(String sql, Instant from, Instant until, Map<String, Instant> more) {
        var query = em.createNativeQuery(sql)
                .setParameter("from", Timestamp.from(from))
                .setParameter("until", Timestamp.from(until));
        more.forEach((name, value) -> query.setParameter(name, Timestamp.from(value)));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows;
    }

    private static Double seconds(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }
}
