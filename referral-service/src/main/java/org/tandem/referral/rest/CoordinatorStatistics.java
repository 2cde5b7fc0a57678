package org.tandem.referral.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.Urgency;

/**
 * What a network coordinator sees: counts and response times over referral metadata, never a survivor's
 * data. Every cell below {@code suppressionThreshold} is reported with {@code suppressed=true} and no count.
 *
 * @param since only referrals submitted at or after this instant, when given
 */
@Schema(name = "CoordinatorStatistics")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CoordinatorStatistics(Instant generatedAt, Instant since, int suppressionThreshold,
        List<StatusUrgencyCell> byStatusAndUrgency, List<StatusAgeCell> byStatusAndAge, List<FlowCell> flows,
        List<ResponseTime> responseTimes) {

    /** Age of the current state, from the referral's last change. */
    public enum StateAge {
        UNDER_1_DAY, DAYS_1_TO_3, DAYS_3_TO_7, OVER_7_DAYS
    }

    public enum Measure {
        /** submission to acknowledgement */
        TIME_TO_ACKNOWLEDGE,
        /** acknowledgement to acceptance or decline */
        TIME_TO_DECIDE
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusUrgencyCell(Referral.Status status, Urgency urgency, Long count, boolean suppressed) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusAgeCell(Referral.Status status, StateAge age, Long count, boolean suppressed) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FlowCell(String senderCountry, String receiverCountry, Long count, boolean suppressed) {
    }

    /** @param urgency null for all urgencies together */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResponseTime(Measure measure, Urgency urgency, Long count, Long medianSeconds, Long p90Seconds,
            boolean suppressed) {
    }

    /** A missed deadline, for the coordinators to follow up: ids and metadata only. */
    @Schema(name = "Escalation")
    public record Escalation(UUID referralId, String missedDeadline, Instant dueAt, Instant escalatedAt, Urgency urgency,
            Referral.Status currentStatus, UUID senderOrganisationId, String senderCountry, UUID receiverOrganisationId,
            String receiverCountry) {
    }
}
