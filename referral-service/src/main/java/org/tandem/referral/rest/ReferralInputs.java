package org.tandem.referral.rest;

import org.tandem.referral.application.CompleteReferral;
import org.tandem.referral.application.CreateReferral;
import org.tandem.referral.application.DeclineReferral;
import org.tandem.referral.application.GivenConsent;
import org.tandem.referral.application.OnwardReferral;
import org.tandem.referral.application.RedirectReferral;
import org.tandem.referral.application.ReferralSummary;
import org.tandem.referral.domain.ReturnRiskAssessment;

/** The API's request bodies as the application's commands. Validation happened on the API types already. */
final class ReferralInputs {

    private ReferralInputs() {}

    static CreateReferral create(NewReferral in) {
        return new CreateReferral(
                in.receiverOrganisationId(),
                summary(in.summary()),
                consent(in.consent()),
                in.stage(),
                in.reflectionPeriodEndsOn(),
                assessment(in.returnRiskAssessment()));
    }

    static OnwardReferral onward(OnwardInput in) {
        return new OnwardReferral(
                in.receiverOrganisationId(),
                in.stage(),
                in.reflectionPeriodEndsOn(),
                assessment(in.returnRiskAssessment()),
                in.summary() == null ? null : summary(in.summary()),
                consent(in.consent()));
    }

    static ReturnRiskAssessment assessment(ReturnRiskAssessmentInput in) {
        return in == null ? null : in.toDomain();
    }

    static RedirectReferral redirect(RedirectInput in) {
        return new RedirectReferral(in.receiverOrganisationId(), consent(in.consent()));
    }

    static DeclineReferral decline(DeclineInput in) {
        return new DeclineReferral(in.reason(), in.note());
    }

    static CompleteReferral complete(CompleteInput in) {
        return new CompleteReferral(in.outcome(), in.note());
    }

    static ReferralSummary summary(NewReferral.SummaryInput in) {
        return new ReferralSummary(
                in.urgency(),
                in.requestedServices(),
                in.languages(),
                in.ageBand(),
                in.accompanyingChildren(),
                in.safetyRisk(),
                in.arrivalEarliest(),
                in.arrivalLatest());
    }

    /** Null stays null: no consent given. */
    static GivenConsent consent(NewReferral.ConsentInput in) {
        return in == null
                ? null
                : new GivenConsent(
                        in.recipients(),
                        in.purposes(),
                        in.dataCategories(),
                        in.givenAt(),
                        in.expiresAt(),
                        in.formLanguage(),
                        in.formVersion(),
                        in.interpreterPresent(),
                        in.method());
    }
}
