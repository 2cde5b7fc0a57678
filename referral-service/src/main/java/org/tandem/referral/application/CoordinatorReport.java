package org.tandem.referral.application;

import java.time.Instant;
import java.util.List;

import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.Stage;
import org.tandem.referral.domain.Urgency;

/**
 * The coordinators' statistics for one fixed period: counts and response times over referral metadata,
 * never a survivor's data. A suppressed cell has no count (docs/privacy.md).
 *
 * @param period the calendar month ({@code 2026-11}), quarter ({@code 2026-Q4}) or year ({@code 2026}), UTC
 * @param from first instant of the period, and {@code until} its end (exclusive)
 */
public record CoordinatorReport(
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

    /** Age of the current state, from the referral's last change. */
    public enum StateAge {
        UNDER_1_DAY,
        DAYS_1_TO_3,
        DAYS_3_TO_7,
        OVER_7_DAYS
    }

    /** A pathway's number of submitted referrals (docs/referrals.md, "Pathways and stages"). */
    public enum PathwayLength {
        ONE,
        TWO,
        THREE,
        FOUR_OR_MORE
    }

    public enum Measure {
        /** submission to acknowledgement */
        TIME_TO_ACKNOWLEDGE,
        /** acknowledgement to acceptance or decline */
        TIME_TO_DECIDE
    }

    public record StatusUrgencyCell(Referral.Status status, Urgency urgency, Long count, boolean suppressed) {}

    public record StatusAgeCell(Referral.Status status, StateAge age, Long count, boolean suppressed) {}

    /** Referrals per status and stage of the procedure (docs/referrals.md, "Pathways and stages"). */
    public record StatusStageCell(Referral.Status status, Stage stage, Long count, boolean suppressed) {}

    public record FlowCell(String senderCountry, String receiverCountry, Long count, boolean suppressed) {}

    /** Pathways whose first referral was submitted in the period, by their current number of submitted referrals. */
    public record PathwayCell(PathwayLength referrals, Long count, boolean suppressed) {}

    /** @param urgency null for all urgencies together; {@code tooFew} when the group is too small for percentiles */
    public record ResponseTime(Measure measure, Urgency urgency, Long medianSeconds, Long p90Seconds, boolean tooFew) {}

    /** A missed deadline, for the coordinators to follow up: ids and metadata only. */
    public record Escalation(
            java.util.UUID referralId,
            String missedDeadline,
            Instant dueAt,
            Instant escalatedAt,
            Urgency urgency,
            Referral.Status currentStatus,
            java.util.UUID senderOrganisationId,
            String senderCountry,
            java.util.UUID receiverOrganisationId,
            String receiverCountry) {}
}
