package org.tandem.referral.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.tandem.platform.audit.AuditLog;
import org.tandem.referral.application.CoordinatorReport;
import org.tandem.referral.application.CoordinatorReport.Escalation;
import org.tandem.referral.application.CoordinatorReport.FlowCell;
import org.tandem.referral.application.CoordinatorReport.Measure;
import org.tandem.referral.application.CoordinatorReport.PathwayCell;
import org.tandem.referral.application.CoordinatorReport.PathwayLength;
import org.tandem.referral.application.CoordinatorReport.ResponseTime;
import org.tandem.referral.application.CoordinatorReport.StateAge;
import org.tandem.referral.application.CoordinatorReport.StatusAgeCell;
import org.tandem.referral.application.CoordinatorReport.StatusStageCell;
import org.tandem.referral.application.CoordinatorReport.StatusUrgencyCell;
import org.tandem.referral.config.StatisticsConfig;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.Stage;
import org.tandem.referral.domain.Urgency;
import org.tandem.referral.persistence.EscalationRepository;
import org.tandem.referral.persistence.ReferralStatisticsRepository;
import org.tandem.referral.persistence.ReferralStatisticsRepository.MonthlyCount;
import org.tandem.referral.persistence.ReferralStatisticsRepository.Percentiles;
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

    private static final List<Referral.Status> STATUSES = Arrays.stream(Referral.Status.values())
            .filter(s -> s != Referral.Status.DRAFT)
            .toList();
    private static final List<Urgency> URGENCIES = List.of(Urgency.values());
    private static final List<Stage> STAGES = List.of(Stage.values());
    private static final List<StateAge> AGES = List.of(StateAge.values());
    private static final List<PathwayLength> LENGTHS = List.of(PathwayLength.values());

    @Inject
    ReferralStatisticsRepository repository;

    @Inject
    EscalationRepository escalations;

    @Inject
    Clock clock;

    @Inject
    StatisticsConfig config;

    @Inject
    AuditLog audit;

    @Transactional
    public CoordinatorReport statistics(StatisticsPeriod period) {
        Instant now = clock.instant();
        int threshold = config.threshold();
        audit.allowed("statistics.read", "statistics", null);
        StatisticsPeriod year = new StatisticsPeriod(period.year(), 1, 12);

        // status x urgency and status x age: rows are the statuses, in the same order
        long[][] byUrgency = new long[12][STATUSES.size() * URGENCIES.size()];
        for (MonthlyCount r : repository.byStatusAndUrgency(year.start(), year.end())) {
            byUrgency[r.month()][
                            STATUSES.indexOf(Referral.Status.valueOf(r.first())) * URGENCIES.size()
                                    + URGENCIES.indexOf(Urgency.valueOf(r.second()))] +=
                    r.count();
        }
        long[][] byAge = new long[12][STATUSES.size() * AGES.size()];
        for (MonthlyCount r : repository.byStatusAndStateAge(year.start(), year.end(), now)) {
            byAge[r.month()][
                            STATUSES.indexOf(Referral.Status.valueOf(r.first())) * AGES.size()
                                    + AGES.indexOf(StateAge.valueOf(r.second()))] +=
                    r.count();
        }
        long[][] byStage = new long[12][STATUSES.size() * STAGES.size()];
        for (MonthlyCount r : repository.byStatusAndStage(year.start(), year.end())) {
            byStage[r.month()][
                            STATUSES.indexOf(Referral.Status.valueOf(r.first())) * STAGES.size()
                                    + STAGES.indexOf(Stage.valueOf(r.second()))] +=
                    r.count();
        }
        // country pairs: every ordered pair of the countries that sent or received a referral this year, so that
        // a pair's presence says nothing about its count
        List<MonthlyCount> flowRows = repository.byCountryPair(year.start(), year.end());
        TreeSet<String> countries = new TreeSet<>();
        for (MonthlyCount r : flowRows) {
            countries.add(r.first());
            countries.add(r.second());
        }
        List<String> country = new ArrayList<>(countries);
        long[][] byFlow = new long[12][country.size() * country.size()];
        for (MonthlyCount r : flowRows) {
            byFlow[r.month()][country.indexOf(r.first()) * country.size() + country.indexOf(r.second())] += r.count();
        }
        // pathways, in the month of their first submission: they count pathways, not referrals, so they share no
        // rows with the tables above (one row of their own)
        long[][] byLength = new long[12][LENGTHS.size()];
        for (MonthlyCount r : repository.pathwaysByLength(year.start(), year.end())) {
            byLength[r.month()][LENGTHS.indexOf(PathwayLength.valueOf(r.second()))] += r.count();
        }

        List<Layout> layouts = List.of(
                new Layout(rows(STATUSES.size(), URGENCIES.size()), "status"),
                new Layout(rows(STATUSES.size(), AGES.size()), "status"),
                new Layout(
                        byFlow[0].length == 0
                                ? List.of()
                                : List.of(IntStream.range(0, byFlow[0].length).toArray()),
                        null),
                new Layout(rows(STATUSES.size(), STAGES.size()), "status"),
                new Layout(rows(1, LENGTHS.size()), null));
        long[][][] counts = {byUrgency, byAge, byFlow, byStage, byLength};
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
        List<StatusStageCell> stageCells = new ArrayList<>();
        for (int s = 0; s < STATUSES.size(); s++) {
            for (int g = 0; g < STAGES.size(); g++) {
                Long n = DisclosureControl.published(byStage, suppressed[3], s * STAGES.size() + g, first, last);
                stageCells.add(new StatusStageCell(STATUSES.get(s), STAGES.get(g), n, n == null));
            }
        }
        List<FlowCell> flows = new ArrayList<>();
        for (int i = 0; i < country.size(); i++) {
            for (int j = 0; j < country.size(); j++) {
                Long n = DisclosureControl.published(byFlow, suppressed[2], i * country.size() + j, first, last);
                flows.add(new FlowCell(country.get(i), country.get(j), n, n == null));
            }
        }
        List<PathwayCell> pathways = new ArrayList<>();
        for (int l = 0; l < LENGTHS.size(); l++) {
            Long n = DisclosureControl.published(byLength, suppressed[4], l, first, last);
            pathways.add(new PathwayCell(LENGTHS.get(l), n, n == null));
        }

        List<ResponseTime> times = new ArrayList<>();
        times.addAll(
                responseTimes(Measure.TIME_TO_ACKNOWLEDGE, repository.timeToAcknowledge(period.start(), period.end())));
        times.addAll(responseTimes(Measure.TIME_TO_DECIDE, repository.timeToDecide(period.start(), period.end())));
        return new CoordinatorReport(
                now,
                period.toString(),
                period.start(),
                period.end(),
                threshold,
                config.percentileGroup(),
                urgencyCells,
                ageCells,
                stageCells,
                flows,
                pathways,
                times);
    }

    /** Missed deadlines, newest first: ids and metadata, nothing about the survivor. */
    @Transactional
    public List<Escalation> escalations(Instant since, int limit) {
        audit.allowed("escalations.read", "statistics", null);
        return escalations.since(since, limit).stream()
                .map(r -> new Escalation(
                        r.referralId(),
                        r.kind(),
                        r.dueAt(),
                        r.escalatedAt(),
                        Urgency.valueOf(r.urgency()),
                        Referral.Status.valueOf(r.status()),
                        r.senderOrg(),
                        r.senderCountry(),
                        r.receiverOrg(),
                        r.receiverCountry()))
                .toList();
    }

    /** Median and p90 per urgency and for all urgencies, each only for a group of at least the percentile minimum. */
    private List<ResponseTime> responseTimes(Measure measure, List<Percentiles> rows) {
        int minimum = config.percentileGroup();
        Map<Urgency, Percentiles> byUrgency = new HashMap<>();
        Percentiles overall = null;
        for (Percentiles r : rows) {
            if (r.urgency() == null) {
                overall = r;
            } else {
                byUrgency.put(Urgency.valueOf(r.urgency()), r);
            }
        }
        List<ResponseTime> out = new ArrayList<>();
        for (Urgency u : URGENCIES) {
            out.add(responseTime(measure, u, byUrgency.get(u), minimum));
        }
        out.add(responseTime(measure, null, overall, minimum));
        return out;
    }

    private static ResponseTime responseTime(Measure measure, Urgency urgency, Percentiles row, int minimum) {
        if (row == null || row.count() < minimum) {
            return new ResponseTime(measure, urgency, null, null, true);
        }
        return new ResponseTime(measure, urgency, Math.round(row.median()), Math.round(row.p90()), false);
    }

    private static List<int[]> rows(int rows, int columns) {
        List<int[]> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int from = r * columns;
            out.add(IntStream.range(from, from + columns).toArray());
        }
        return out;
    }
}
