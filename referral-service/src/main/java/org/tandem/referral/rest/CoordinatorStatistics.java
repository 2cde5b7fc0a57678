package org.tandem.referral.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.tandem.referral.application.CoordinatorReport;
import org.tandem.referral.application.CoordinatorReport.Measure;
import org.tandem.referral.application.CoordinatorReport.PathwayLength;
import org.tandem.referral.application.CoordinatorReport.StateAge;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.Stage;
import org.tandem.referral.domain.Urgency;

/**
 * What a network coordinator sees: counts and response times over referral metadata, never a survivor's
 * data, for one fixed period. Every cell under {@code suppressionThreshold}, and every cell that would let
 * one be worked out from the others, in this period or any other, is reported with {@code suppressed=true}
 * and no count (docs/privacy.md). Its code lists (state ages, pathway lengths, measures) are the application's own
 * ({@link CoordinatorReport}): one source for each.
 *
 * @param period the calendar month ({@code 2026-11}), quarter ({@code 2026-Q4}) or year ({@code 2026}), UTC
 * @param from first instant of the period: referrals submitted from here on
 * @param until end of the period (exclusive)
 * @param percentileMinimum a median or 90th percentile is only shown for a group at least this large
 */
@Schema(name = "CoordinatorStatistics")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CoordinatorStatistics(
        Instant generatedAt,
        String period,
        Instant from,
        Instant until,
        int suppressionThreshold,
        int percentileMinimum,
        List<StatusUrgencyCell> byStatusAndUrgency,
        List<StatusAgeCell> byStatusAndAge,
        List<StatusStageCell> byStatusAndStage,
        List<FlowCell> flows,
        List<PathwayCell> pathwaysByLength,
        List<ResponseTime> responseTimes) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusUrgencyCell(Referral.Status status, Urgency urgency, Long count, boolean suppressed) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusStageCell(Referral.Status status, Stage stage, Long count, boolean suppressed) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusAgeCell(Referral.Status status, StateAge age, Long count, boolean suppressed) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FlowCell(String senderCountry, String receiverCountry, Long count, boolean suppressed) {}

    /**
     * Pathways whose first referral was submitted in the period, by their current number of submitted referrals:
     * counts only, never a pathway id (docs/referrals.md, "Pathways and stages").
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PathwayCell(PathwayLength referrals, Long count, boolean suppressed) {}

    /**
     * @param urgency null for all urgencies together
     * @param tooFew true when the group holds fewer than {@code percentileMinimum} referrals: then there is no
     *            median and no p90 (a percentile of a few referrals is close to one referral's own value)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResponseTime(Measure measure, Urgency urgency, Long medianSeconds, Long p90Seconds, boolean tooFew) {}

    /** A missed deadline, for the coordinators to follow up: ids and metadata only. */
    @Schema(name = "Escalation")
    public record Escalation(
            UUID referralId,
            String missedDeadline,
            Instant dueAt,
            Instant escalatedAt,
            Urgency urgency,
            Referral.Status currentStatus,
            UUID senderOrganisationId,
            String senderCountry,
            UUID receiverOrganisationId,
            String receiverCountry) {

        static Escalation of(CoordinatorReport.Escalation e) {
            return new Escalation(
                    e.referralId(),
                    e.missedDeadline(),
                    e.dueAt(),
                    e.escalatedAt(),
                    e.urgency(),
                    e.currentStatus(),
                    e.senderOrganisationId(),
                    e.senderCountry(),
                    e.receiverOrganisationId(),
                    e.receiverCountry());
        }
    }

    static CoordinatorStatistics of(CoordinatorReport r) {
        return new CoordinatorStatistics(
                r.generatedAt(),
                r.period(),
                r.from(),
                r.until(),
                r.suppressionThreshold(),
                r.percentileMinimum(),
                r.byStatusAndUrgency().stream()
                        .map(c -> new StatusUrgencyCell(c.status(), c.urgency(), c.count(), c.suppressed()))
                        .toList(),
                r.byStatusAndAge().stream()
                        .map(c -> new StatusAgeCell(c.status(), c.age(), c.count(), c.suppressed()))
                        .toList(),
                r.byStatusAndStage().stream()
                        .map(c -> new StatusStageCell(c.status(), c.stage(), c.count(), c.suppressed()))
                        .toList(),
                r.flows().stream()
                        .map(c -> new FlowCell(c.senderCountry(), c.receiverCountry(), c.count(), c.suppressed()))
                        .toList(),
                r.pathwaysByLength().stream()
                        .map(c -> new PathwayCell(c.referrals(), c.count(), c.suppressed()))
                        .toList(),
                r.responseTimes().stream()
                        .map(t -> new ResponseTime(
                                t.measure(), t.urgency(), t.medianSeconds(), t.p90Seconds(), t.tooFew()))
                        .toList());
    }
}
