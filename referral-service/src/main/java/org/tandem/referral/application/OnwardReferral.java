package org.tandem.referral.application;

import java.time.LocalDate;
import java.util.UUID;

import org.tandem.referral.domain.ReturnRiskAssessment;
import org.tandem.referral.domain.Stage;

/**
 * Refer her onward from an accepted referral that the caller's organisation received: a new draft in the same
 * pathway. {@code summary} null carries the accepted referral's summary over; {@code consent} may come later.
 */
public record OnwardReferral(
        UUID receiverOrganisationId,
        Stage stage,
        LocalDate reflectionPeriodEndsOn,
        ReturnRiskAssessment returnRiskAssessment,
        ReferralSummary summary,
        GivenConsent consent) {}
