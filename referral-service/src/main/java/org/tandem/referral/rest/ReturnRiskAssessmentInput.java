package org.tandem.referral.rest;

import java.time.LocalDate;

import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.tandem.referral.domain.ReturnRiskAssessment;

/**
 * The return risk assessment a referral to RETURN_AND_REINTEGRATION needs: codes and a date, no free text. The
 * date may be at most a year old and not in the future.
 */
@Schema(name = "ReturnRiskAssessment")
public record ReturnRiskAssessmentInput(
        @NotNull ReturnRiskAssessment.AssessorRole assessorRole,
        @NotNull LocalDate assessedOn,
        @NotNull ReturnRiskAssessment.RiskLevel outcomeLevel) {

    ReturnRiskAssessment toDomain() {
        return new ReturnRiskAssessment(assessorRole, assessedOn, outcomeLevel);
    }

    static ReturnRiskAssessmentInput of(ReturnRiskAssessment a) {
        return a == null ? null : new ReturnRiskAssessmentInput(a.assessorRole(), a.assessedOn(), a.outcomeLevel());
    }
}
