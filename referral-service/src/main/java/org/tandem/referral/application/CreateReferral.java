package org.tandem.referral.application;

import java.time.LocalDate;
import java.util.UUID;

import org.tandem.referral.domain.ReturnRiskAssessment;
import org.tandem.referral.domain.Stage;

/**
 * Create a draft from the caller's organisation to {@code receiverOrganisationId}, the first of a new pathway;
 * {@code consent} and a return's {@code returnRiskAssessment} may come later.
 */
public record CreateReferral(
        UUID receiverOrganisationId,
        ReferralSummary summary,
        GivenConsent consent,
        Stage stage,
        LocalDate reflectionPeriodEndsOn,
        ReturnRiskAssessment returnRiskAssessment) {}
