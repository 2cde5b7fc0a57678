package org.tandem.referral.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a referral stands in her pathway (docs/referrals.md, "Pathways and stages").
 *
 * @param pathwayId opaque random id, created with the first referral and joined by every onward referral; it
 *     holds no personal data and is derived from nothing
 * @param onwardFrom the accepted referral whose receiver made this one, if it is an onward referral
 * @param stage the stage of the procedure this referral is for
 * @param reflectionPeriodEndsOn the end of her reflection and recovery period, where the stage has one
 * @param returnRiskAssessment the assessment a return referral needs, only with {@link Stage#RETURN_AND_REINTEGRATION}
 */
public record PathwayStep(
        UUID pathwayId,
        UUID onwardFrom,
        Stage stage,
        LocalDate reflectionPeriodEndsOn,
        ReturnRiskAssessment returnRiskAssessment) {

    /** How far from today a reflection period's end may lie, either way, in days. */
    public static final int REFLECTION_PERIOD_MAX_DAYS = 366;

    public PathwayStep {
        if (pathwayId == null) {
            throw new IllegalArgumentException("a referral always belongs to a pathway");
        }
        if (stage == null) {
            throw new ReferralException.InvalidField("stage", "is required");
        }
        if (reflectionPeriodEndsOn != null && !stage.hasReflectionPeriod()) {
            throw new ReferralException.InvalidField(
                    "reflectionPeriodEndsOn", "applies only to the stages IDENTIFICATION and FIRST_ASSISTANCE");
        }
        if (returnRiskAssessment != null && stage != Stage.RETURN_AND_REINTEGRATION) {
            throw new ReferralException.InvalidField(
                    "returnRiskAssessment", "applies only to the stage RETURN_AND_REINTEGRATION");
        }
    }

    /** The first referral of a new pathway, whose id is random. */
    public static PathwayStep first(Stage stage, LocalDate reflectionPeriodEndsOn, ReturnRiskAssessment assessment) {
        return new PathwayStep(UUID.randomUUID(), null, stage, reflectionPeriodEndsOn, assessment);
    }

    /** An onward referral from {@code previous}: the same pathway, a stage of its own. */
    public static PathwayStep onward(
            PathwayStep previous,
            UUID previousReferral,
            Stage stage,
            LocalDate reflectionPeriodEndsOn,
            ReturnRiskAssessment assessment) {
        return new PathwayStep(previous.pathwayId(), previousReferral, stage, reflectionPeriodEndsOn, assessment);
    }

    public Optional<ReturnRiskAssessment> assessment() {
        return Optional.ofNullable(returnRiskAssessment);
    }

    public PathwayStep withAssessment(ReturnRiskAssessment assessment) {
        return new PathwayStep(pathwayId, onwardFrom, stage, reflectionPeriodEndsOn, assessment);
    }

    /** Refuses dates outside their limits, as of {@code at} (when they are recorded). */
    public void checkDatesAgainst(Instant at) {
        LocalDate today = at.atZone(ZoneOffset.UTC).toLocalDate();
        if (reflectionPeriodEndsOn != null
                && (reflectionPeriodEndsOn.isBefore(today.minusDays(REFLECTION_PERIOD_MAX_DAYS))
                        || reflectionPeriodEndsOn.isAfter(today.plusDays(REFLECTION_PERIOD_MAX_DAYS)))) {
            throw new ReferralException.InvalidField(
                    "reflectionPeriodEndsOn", "must be within " + REFLECTION_PERIOD_MAX_DAYS + " days of today");
        }
        if (returnRiskAssessment != null) {
            returnRiskAssessment.checkDateAgainst(at);
        }
    }
}
