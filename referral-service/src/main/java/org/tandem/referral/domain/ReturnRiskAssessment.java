package org.tandem.referral.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The recorded assessment of the risks of her return, which a referral to {@link Stage#RETURN_AND_REINTEGRATION}
 * needs before it can be submitted. Codes and a date only: who assessed (a role, never a person), when, and the
 * outcome level. There is no free text, and nothing in it asks about cooperation with the police.
 */
public record ReturnRiskAssessment(AssessorRole assessorRole, LocalDate assessedOn, RiskLevel outcomeLevel) {

    /** The oldest assessment a return referral may rely on, in days before it is recorded. */
    public static final int MAX_AGE_DAYS = 365;

    /** The professional role of whoever made the assessment. */
    public enum AssessorRole {
        CASEWORKER,
        SOCIAL_WORKER,
        PSYCHOLOGIST,
        MEDICAL_PROFESSIONAL,
        LEGAL_ADVISER,
        RETURN_COUNSELLOR
    }

    /** The assessed level of risk of her return (re-trafficking, reprisals, stigma, lack of support). */
    public enum RiskLevel {
        LOW,
        MEDIUM,
        HIGH
    }

    public ReturnRiskAssessment {
        if (assessorRole == null) {
            throw new ReferralException.InvalidField("returnRiskAssessment.assessorRole", "is required");
        }
        if (assessedOn == null) {
            throw new ReferralException.InvalidField("returnRiskAssessment.assessedOn", "is required");
        }
        if (outcomeLevel == null) {
            throw new ReferralException.InvalidField("returnRiskAssessment.outcomeLevel", "is required");
        }
    }

    /** Refuses an assessment dated after {@code at} or more than {@link #MAX_AGE_DAYS} days before it. */
    public void checkDateAgainst(Instant at) {
        LocalDate today = at.atZone(ZoneOffset.UTC).toLocalDate();
        if (assessedOn.isAfter(today)) {
            throw new ReferralException.InvalidField("returnRiskAssessment.assessedOn", "must not be in the future");
        }
        if (assessedOn.isBefore(today.minusDays(MAX_AGE_DAYS))) {
            throw new ReferralException.InvalidField(
                    "returnRiskAssessment.assessedOn", "must be at most " + MAX_AGE_DAYS + " days old");
        }
    }
}
