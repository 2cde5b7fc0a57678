package org.tandem.referral.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.tandem.referral.domain.Consent;
import org.tandem.referral.domain.DeclineReason;
import org.tandem.referral.domain.Outcome;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.Stage;

/**
 * A referral as one of its parties sees it. The receiver sees the summary and the status; the consent
 * record is shown to the sender only.
 */
@Schema(name = "Referral")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReferralView(
        UUID id,
        Referral.Status status,
        Role yourRole,
        UUID senderOrganisationId,
        String senderCountry,
        UUID receiverOrganisationId,
        String receiverCountry,
        NewReferral.SummaryInput summary,
        TimelineView timeline,
        DeclineView decline,
        OutcomeView outcome,
        ConsentView consent,
        UUID redirectedFrom,
        UUID pathwayId,
        Stage stage,
        LocalDate reflectionPeriodEndsOn,
        ReturnRiskAssessmentInput returnRiskAssessment,
        UUID onwardFrom,
        Instant createdAt,
        long version) {

    public enum Role {
        SENDER,
        RECEIVER
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TimelineView(
            Instant submittedAt,
            Instant acknowledgeBy,
            Instant acknowledgedAt,
            Instant decideBy,
            Instant decidedAt,
            Instant startedAt,
            Instant closedAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeclineView(DeclineReason reason, String note) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutcomeView(Outcome outcome, String note) {}

    public record ConsentView(
            Set<UUID> recipients,
            Set<Consent.Purpose> purposes,
            Set<Consent.DataCategory> dataCategories,
            Instant givenAt,
            Instant expiresAt,
            String formLanguage,
            String formVersion,
            boolean interpreterPresent,
            Consent.Method method,
            Instant withdrawnAt) {}
}
