package org.tandem.referral.rest;

import java.util.UUID;

import org.tandem.referral.domain.Consent;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.Summary;

/** What each party may see of a referral, as the API shows it. */
public final class ReferralViews {

    private ReferralViews() {}

    public static ReferralView forParty(Referral r, UUID viewer, long version) {
        boolean sender = r.parties().sender().equals(viewer);
        var t = r.timeline();
        ReferralView.DeclineView decline =
                r instanceof Referral.Declined d ? new ReferralView.DeclineView(d.reason(), d.note()) : null;
        ReferralView.OutcomeView outcome =
                r instanceof Referral.Completed c ? new ReferralView.OutcomeView(c.outcome(), c.note()) : null;
        return new ReferralView(
                r.id(),
                r.status(),
                sender ? ReferralView.Role.SENDER : ReferralView.Role.RECEIVER,
                r.parties().sender(),
                r.parties().senderCountry(),
                r.parties().receiver(),
                r.parties().receiverCountry(),
                summary(r.facts().summary()),
                new ReferralView.TimelineView(
                        t.submittedAt(),
                        t.acknowledgeBy(),
                        t.acknowledgedAt(),
                        t.decideBy(),
                        t.decidedAt(),
                        t.startedAt(),
                        t.closedAt()),
                decline,
                outcome,
                sender ? r.consent().map(ReferralViews::consent).orElse(null) : null,
                r.facts().redirectedFrom(),
                r.facts().pathway().pathwayId(),
                r.facts().pathway().stage(),
                r.facts().pathway().reflectionPeriodEndsOn(),
                ReturnRiskAssessmentInput.of(r.facts().pathway().returnRiskAssessment()),
                r.facts().pathway().onwardFrom(),
                r.facts().createdAt(),
                version);
    }

    static NewReferral.SummaryInput summary(Summary s) {
        return new NewReferral.SummaryInput(
                s.urgency(),
                s.requestedServices(),
                s.languages(),
                s.ageBand(),
                s.accompanyingChildren(),
                s.safetyRisk(),
                s.arrivalEarliest(),
                s.arrivalLatest());
    }

    static ReferralView.ConsentView consent(Consent c) {
        return new ReferralView.ConsentView(
                c.recipients(),
                c.purposes(),
                c.dataCategories(),
                c.givenAt(),
                c.expiresAt(),
                c.formLanguage(),
                c.formVersion(),
                c.interpreterPresent(),
                c.method(),
                c.withdrawnAt());
    }
}
