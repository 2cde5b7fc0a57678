package org.tandem.referral.service;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;

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
import org.tandem.referral.statistics.DisclosureControl;
import org.tandem.referral.statistics.DisclosureControl.Layout;
import org.tandem.referral.statistics.StatisticsPeriod;

/**
 * The coordinators' views over referral metadata (never the summary's bands, the consent or a file).
 * Drafts are the sender's own work and are left out. Statistics cover one fixed period (month, quarter or
 * year, UTC) and count the referrals <em>submitted</em> in it, in their current state; their small cells are
 * suppressed over the whole year at once by {@link DisclosureControl}, so that no period, table or margin
 * gives one away (docs/privacy.md).
 */
@ApplicationScoped
public class CoordinatorViews {

    private static final String SUBMITTED_IN = "status <> 'DRAFT' and submitted_at is not null and submitted_at >= :from and submitted_at < :until";
    private static final String MONTH = "cast(extract(month from submitted_at at time zone 'UTC') as integer)";
    private static final List<Referral.Status> STATUSES = Arrays.stream(Referral.Status.values())
            .filter(s -> s != Referral.Status.DRAFT).toList();
    private static final List<Urgency> URGENCIES = List.of(Urgency.values());
    private static final List<StateAge> AGES = List.of(StateAge.values());

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    StatisticsConfig config;

    @Inject
    AuditLog audit;

    @Transactional
    public CoordinatorStatistics statistics(StatisticsPeriod period) {
        Instant now = clock.instant();
        int threshold = config.threshold();
        audit.allowed("statistics.read", "statistics", null);
        StatisticsPeriod year = new StatisticsPeriod(period.year(), 1, 12);

        // status x urgency and status x age: rows are the statuses, in the same order
        long[][] byUrgency = new long[12][STATUSES.size() * URGENCIES.size()];
        for (Object[] r : rows("select " + MONTH + ", status, urgency, count(*) from referral where " + SUBMITTED_IN
                + " group by 1, 2, 3", year, Map.of())) {
            byUrgency[month(r[0])][STATUSES.indexOf(Referral.Status.valueOf((String) r[1])) * URGENCIES.size()
                    + URGENCIES.indexOf(Urgency.valueOf((String) r[2]))] += count(r[3]);
        }
        long[][] byAge = new long[12][STATUSES.size() * AGES.size()];
        String age = """
                case when updated_at > :day1 then 'UNDER_1_DAY'
                     when updated_at > :day3 then 'DAYS_1_TO_3'
                     when updated_at > :day7 then 'DAYS_3_TO_7'
                     else 'OVER_7_DAYS' end""";
        for (Object[] r : rows("select " + MONTH + ", status, " + age + ", count(*) from referral where " + SUBMITTED_IN
                + " group by 1, 2, 3", year, Map.of("day1", now.minus(Duration.ofDays(1)), "day3", now.minus(Duration.ofDays(3)),
                        "day7", now.minus(Duration.ofDays(7))))) {
            byAge[month(r[0])][STATUSES.indexOf(Referral.Status.valueOf((String) r[1])) * AGES.size()
                    + AGES.indexOf(StateAge.valueOf((String) r[2]))] += count(r[3]);
        }
        // country pairs: every ordered pair of the countries that sent or received a referral this year, so that
        // a pair's presence says nothing about its count
        List<Object[]> flowRows = rows("select " + MONTH + ", sender_country, receiver_country, count(*) from referral where "
                + SUBMITTED_IN + " group by 1, 2, 3", year, Map.of());
        TreeSet<String> countries = new TreeSet<>();
        for (Object[] r : flowRows) {
            countries.add(r[1].toString().strip());
            countries.add(r[2].toString().strip());
        }
        List<String> country = new ArrayList<>(countries);
        long[][] byFlow = new long[12][country.size() * country.size()];
        for (Object[] r : flowRows) {
            byFlow[month(r[0])][country.indexOf(r[1].toString().strip()) * country.size()
                    + country.indexOf(r[2].toString().strip())] += count(r[3]);
        }

        List<Layout> layouts = List.of(new Layout(rows(STATUSES.size(), URGENCIES.size()), "status"),
                new Layout(rows(STATUSES.size(), AGES.size()), "status"),
                new Layout(byFlow[0].length == 0 ? List.of() : List.of(IntStream.range(0, byFlow[0].length).toArray()), null));
        long[][][] counts = { byUrgency, byAge, byFlow };
        boolean[][][] suppressed = DisclosureControl.suppress(threshold, layouts, counts);

        int first = period.firstMonth();
        int last = period.lastMonth();
        List<StatusUrgencyCell> urgencyCells = new ArrayList<>();
        List<StatusAgeCell> ageCells = new ArrayList<>();
        for (int s = 0; s < STATUSES.size(); s++) {
            for (int u = 0; u < URGENCIES.size(); u++) {
                Long n = DisclosureControl.published(byUrgency, suppressed[0], s * URGENCIES.size() + u, first, last);
                urgencyCells.add(new StatusUrgencyCell(STATUSES.get(s), URGENCIES.get(u), n, n == null));
            }
            for (int a = 0; a < AGES.size(); a++) {
                Long n = DisclosureControl.published(byAge, suppressed[1], s * AGES.size() + a, first, last);
                ageCells.add(new StatusAgeCell(STATUSES.get(s), AGES.get(a), n, n == null));
            }
        }
        List<FlowCell> flows = new ArrayList<>();
        for (int i = 0; i < country.size(); i++) {
            for (int j = 0; j < country.size(); j++) {
                Long n = DisclosureControl.published(byFlow, suppressed[2], i * country.size() + j, first, last);
                flows.add(new FlowCell(country.get(i), country.get(j), n, n == null));
            }
        }

        List<ResponseTime> times = new ArrayList<>();
        times.addAll(responseTimes(Measure.TIME_TO_ACKNOWLEDGE, "acknowledged_at - submitted_at", "acknowledged_at", period));
        times.addAll(responseTimes(Measure.TIME_TO_DECIDE, "decided_at - acknowledged_at", "decided_at", period));
        return new CoordinatorStatistics(now, period.toString(), period.start(), period.end(), threshold, config.percentileGroup(),
                urgencyCells, ageCells, flows, times);
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

    /** Median and p90 per urgency and for all urgencies, each only for a group of at least the percentile minimum. */
    private List<ResponseTime> responseTimes(Measure measure, String interval, String endColumn, StatisticsPeriod period) {
        int minimum = config.percentileGroup();
        Map<Urgency, Object[]> byUrgency = new java.util.HashMap<>();
        Object[] overall = null;
        for (Object[] r : rows("""
                select urgency, count(*),
                       percentile_cont(0.5) within group (order by extract(epoch from %1$s)),
                       percentile_cont(0.9) within group (order by extract(epoch from %1$s))
                from referral where %2$s and %3$s is not null
                group by rollup (urgency)""".formatted(interval, SUBMITTED_IN, endColumn), period, Map.of())) {
            if (r[0] == null) {
                overall = r;
            } else {
                byUrgency.put(Urgency.valueOf((String) r[0]), r);
            }
        }
        List<ResponseTime> out = new ArrayList<>();
        for (Urgency u : URGENCIES) {
            out.add(responseTime(measure, u, byUrgency.get(u), minimum));
        }
        out.add(responseTime(measure, null, overall, minimum));
        return out;
    }

    private static ResponseTime responseTime(Measure measure, Urgency urgency, Object[] row, int minimum) {
        if (row == null || count(row[1]) < minimum) {
            return new ResponseTime(measure, urgency, null, null, true);
        }
        return new ResponseTime(measure, urgency, Math.round(((Number) row[2]).doubleValue()), Math.round(((Number) row[3]).doubleValue()), false);
    }

    private List<Object[]> rows(String sql, StatisticsPeriod period, Map<String, Instant> more) {
        var query = em.createNativeQuery(sql).setParameter("from", Timestamp.from(period.start()))
                .setParameter("until", Timestamp.from(period.end()));
        more.forEach((name, value) -> query.setParameter(name, Timestamp.from(value)));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows;
    }

    private static List<int[]> rows(int rows, int columns) {
        List<int[]> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int from = r * columns;
            out.add(IntStream.range(from, from + columns).toArray());
        }
        return out;
    }

    private static int month(Object o) {
        return ((Number) o).intValue() - 1;
    }

    private static long count(Object o) {
        return ((Number) o).longValue();
    }

    private static Instant instant(Object o) {
        return o instanceof Timestamp t ? t.toInstant() : o instanceof Instant i ? i : ((OffsetDateTime) o).toInstant();
    }
}
