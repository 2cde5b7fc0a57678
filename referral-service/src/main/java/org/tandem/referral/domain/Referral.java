package org.tandem.referral.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A referral, whose lifecycle follows the FHIR Task model (docs/design.md §3.2). Each state is its own type and
 * offers only the transitions that state allows, so an illegal transition cannot be written:
 *
 * <pre>
 * Draft ─submit→ Submitted ─acknowledge→ Acknowledged ─accept→ Accepted ─start→ InProgress ─complete→ Completed
 *                                                    └decline→ Declined
 * Draft, Submitted, Acknowledged ─cancel (sender)→ Cancelled
 * Declined ─redirect→ a new, linked Draft to another organisation (the declined one stays declined)
 * any state but Withdrawn ─withdraw (consent withdrawn)→ Withdrawn
 * </pre>
 *
 * Who may call a transition (sender or receiver) is the application service's concern; what may happen
 * in which state is this type's.
 */
public sealed interface Referral {

    enum Status {
        DRAFT,
        SUBMITTED,
        ACKNOWLEDGED,
        ACCEPTED,
        DECLINED,
        IN_PROGRESS,
        COMPLETED,
        CANCELLED,
        WITHDRAWN
    }

    ReferralFacts facts();

    Timeline timeline();

    /** The consent, once recorded. */
    Optional<Consent> consent();

    Status status();

    default UUID id() {
        return facts().id();
    }

    default Parties parties() {
        return facts().parties();
    }

    /**
     * This referral as the state that offers {@code action}; an {@link ReferralException.IllegalTransition} when
     * it is in another state.
     *
     * @param action what is asked, as in "cannot be asked to {action}"
     */
    default <S extends Referral> S as(Class<S> state, String action) {
        if (!state.isInstance(this)) {
            throw new ReferralException.IllegalTransition(status(), action);
        }
        return state.cast(this);
    }

    /** States the sender can still cancel. */
    sealed interface Cancellable extends Referral permits Draft, Submitted, Acknowledged {
        default Cancelled cancel(Instant at) {
            return new Cancelled(facts(), consent(), timeline().closed(at), status());
        }
    }

    /**
     * States from which the receiving organisation can refer her onward, within the same pathway: she was accepted
     * (docs/referrals.md, "Pathways and stages").
     */
    sealed interface Forwardable extends Referral permits Accepted, InProgress, Completed {
        /**
         * A new draft from this referral's receiver to {@code to}, in the same pathway, linked to this one.
         *
         * @param summary the summary for the next organisation; this referral's when null, so that nothing is typed
         *     again
         * @throws ReferralException.ConsentRequired when her consent on this referral no longer covers it at {@code at}
         */
        default Draft onward(
                UUID newId,
                UUID to,
                String toCountry,
                Stage stage,
                java.time.LocalDate reflectionPeriodEndsOn,
                ReturnRiskAssessment assessment,
                Summary summary,
                String by,
                Instant at) {
            // carrying her summary on, or passing her file on, is processing under this referral's consent: once it
            // has expired (or been withdrawn) nothing of this referral may go further (docs/referrals.md)
            if (!Pathway.covered(this, at)) {
                throw ReferralException.ConsentRequired.forReferral(
                        "onwardFrom",
                        "on the referral it continues has ended (expired or withdrawn), so nothing of it can be"
                                + " passed on");
            }
            Parties p = facts().parties();
            if (to == null || to.equals(p.receiver())) {
                throw new ReferralException.InvalidField(
                        "receiverOrganisationId", "must be another organisation than yours");
            }
            PathwayStep step = PathwayStep.onward(facts().pathway(), id(), stage, reflectionPeriodEndsOn, assessment);
            step.checkDatesAgainst(at);
            var next = new ReferralFacts(
                    newId,
                    new Parties(p.receiver(), p.receiverCountry(), to, toCountry),
                    summary == null ? facts().summary() : summary,
                    at,
                    by,
                    null,
                    step);
            return Draft.create(next);
        }
    }

    /** States in which the survivor's withdrawal of consent still has something to stop. */
    sealed interface Withdrawable extends Referral
            permits Draft, Submitted, Acknowledged, Accepted, Declined, InProgress, Completed, Cancelled {
        default Withdrawn withdraw(Instant at) {
            return new Withdrawn(
                    facts(), consent().map(c -> c.withdraw(at)), timeline().closed(at), status());
        }
    }

    record Draft(ReferralFacts facts, Optional<Consent> consent) implements Cancellable, Withdrawable {

        public static Draft create(ReferralFacts facts) {
            return new Draft(facts, Optional.empty());
        }

        @Override
        public Timeline timeline() {
            return Timeline.EMPTY;
        }

        @Override
        public Status status() {
            return Status.DRAFT;
        }

        public Draft recordConsent(Consent given) {
            return new Draft(facts, Optional.of(given));
        }

        /** Records the return risk assessment a return referral needs; refused for any other stage. */
        public Draft recordReturnAssessment(ReturnRiskAssessment assessment, Instant at) {
            if (assessment == null) {
                throw new ReferralException.InvalidField("returnRiskAssessment", "is required");
            }
            PathwayStep step = facts.pathway().withAssessment(assessment);
            assessment.checkDateAgainst(at);
            return new Draft(facts.withPathway(step), consent);
        }

        /** Submits the referral; refused without valid consent to refer to the receiver. */
        public Submitted submit(DeadlinePolicy deadlines, Instant at) {
            Consent c = consent.orElseThrow(() -> ReferralException.ConsentRequired.forReferral(
                    "consent", "must be recorded before the referral is submitted"));
            c.refusal(facts.parties().receiver(), Consent.Purpose.REFERRAL, Set.of(), at)
                    .ifPresent(reason -> {
                        throw ReferralException.ConsentRequired.forReferral(
                                "consent", "does not allow this referral: " + reason);
                    });
            if (facts.pathway().stage() == Stage.RETURN_AND_REINTEGRATION) {
                ReturnRiskAssessment assessment = facts.pathway()
                        .assessment()
                        .orElseThrow(() -> new ReferralException.Unprocessable(
                                "return-risk-assessment-required",
                                "A referral for return and reintegration needs a recorded return risk assessment"
                                        + " before it is submitted.",
                                "returnRiskAssessment",
                                "must be recorded before a return referral is submitted"));
                assessment.checkDateAgainst(at);
                if (!c.purposes().contains(Consent.Purpose.RETURN)) {
                    throw ReferralException.ConsentRequired.forReferral(
                            "consent.purposes",
                            "does not include her own consent to return (RETURN), which a return referral needs");
                }
            }
            Instant ackBy = at.plus(deadlines.acknowledgeWithin(facts.summary().urgency()));
            return new Submitted(facts, c, Timeline.EMPTY.submitted(at, ackBy));
        }
    }

    record Submitted(ReferralFacts facts, Consent given, Timeline timeline) implements Cancellable, Withdrawable {
        @Override
        public Optional<Consent> consent() {
            return Optional.of(given);
        }

        @Override
        public Status status() {
            return Status.SUBMITTED;
        }

        public Acknowledged acknowledge(DeadlinePolicy deadlines, Instant at) {
            Instant decideBy = at.plus(deadlines.decideWithin(facts.summary().urgency()));
            return new Acknowledged(facts, given, timeline.acknowledged(at, decideBy));
        }
    }

    record Acknowledged(ReferralFacts facts, Consent given, Timeline timeline) implements Cancellable, Withdrawable {
        @Override
        public Optional<Consent> consent() {
            return Optional.of(given);
        }

        @Override
        public Status status() {
            return Status.ACKNOWLEDGED;
        }

        public Accepted accept(Instant at) {
            return new Accepted(facts, given, timeline.decided(at));
        }

        /** @param note optional free text for the sender; it never leaves this service in an event */
        public Declined decline(DeclineReason reason, String note, Instant at) {
            if (reason == null) {
                throw new ReferralException.InvalidField("reason", "is required");
            }
            return new Declined(facts, given, timeline.decided(at), reason, note);
        }
    }

    record Accepted(ReferralFacts facts, Consent given, Timeline timeline) implements Withdrawable, Forwardable {
        @Override
        public Optional<Consent> consent() {
            return Optional.of(given);
        }

        @Override
        public Status status() {
            return Status.ACCEPTED;
        }

        public InProgress start(Instant at) {
            return new InProgress(facts, given, timeline.started(at));
        }
    }

    record Declined(ReferralFacts facts, Consent given, Timeline timeline, DeclineReason reason, String note)
            implements Withdrawable {
        @Override
        public Optional<Consent> consent() {
            return Optional.of(given);
        }

        @Override
        public Status status() {
            return Status.DECLINED;
        }

        /**
         * Continues this declined referral towards another organisation as a new draft that carries the same
         * summary, so that nothing is typed again. The consent goes with it when it already names the new
         * receiver; otherwise the new draft needs a consent that does before it can be submitted.
         *
         * @param to the new receiver and its country; the sender stays the same
         */
        public Draft redirect(UUID newId, UUID to, String toCountry, String by, Instant at) {
            if (to == null || to.equals(facts.parties().receiver())) {
                throw new ReferralException.InvalidField(
                        "receiverOrganisationId", "must be another organisation than the one that declined");
            }
            Parties p = facts.parties();
            var next = new ReferralFacts(
                    newId,
                    new Parties(p.sender(), p.senderCountry(), to, toCountry),
                    facts.summary(),
                    at,
                    by,
                    facts.id(),
                    facts.pathway());
            Optional<Consent> carried =
                    given.recipients().contains(to) && !given.isWithdrawn() ? Optional.of(given) : Optional.empty();
            return new Draft(next, carried);
        }
    }

    record InProgress(ReferralFacts facts, Consent given, Timeline timeline) implements Withdrawable, Forwardable {
        @Override
        public Optional<Consent> consent() {
            return Optional.of(given);
        }

        @Override
        public Status status() {
            return Status.IN_PROGRESS;
        }

        public Completed complete(Outcome outcome, String note, Instant at) {
            if (outcome == null) {
                throw new ReferralException.InvalidField("outcome", "is required");
            }
            return new Completed(facts, given, timeline.closed(at), outcome, note);
        }
    }

    record Completed(ReferralFacts facts, Consent given, Timeline timeline, Outcome outcome, String note)
            implements Withdrawable, Forwardable {
        @Override
        public Optional<Consent> consent() {
            return Optional.of(given);
        }

        @Override
        public Status status() {
            return Status.COMPLETED;
        }
    }

    /** @param from the state it was cancelled in */
    record Cancelled(ReferralFacts facts, Optional<Consent> consent, Timeline timeline, Status from)
            implements Withdrawable {
        @Override
        public Status status() {
            return Status.CANCELLED;
        }
    }

    /** Terminal: the survivor withdrew her consent and her file is purged everywhere. */
    record Withdrawn(ReferralFacts facts, Optional<Consent> consent, Timeline timeline, Status from)
            implements Referral {
        @Override
        public Status status() {
            return Status.WITHDRAWN;
        }
    }
}
