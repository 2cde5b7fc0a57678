package org.tandem.referral.service;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.apache.avro.specific.SpecificRecord;

import org.tandem.events.Topics;
import org.tandem.platform.audit.AuditLog;
import org.tandem.platform.http.ETags;
import org.tandem.platform.outbox.Outbox;
import org.tandem.referral.application.CompleteReferral;
import org.tandem.referral.application.CreateReferral;
import org.tandem.referral.application.DeclineReferral;
import org.tandem.referral.application.GivenConsent;
import org.tandem.referral.application.OnwardReferral;
import org.tandem.referral.application.RedirectReferral;
import org.tandem.referral.application.ReferralDetails;
import org.tandem.referral.application.ReferralSummary;
import org.tandem.referral.domain.Consent;
import org.tandem.referral.domain.Parties;
import org.tandem.referral.domain.PathwayStep;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.ReferralException;
import org.tandem.referral.domain.ReferralFacts;
import org.tandem.referral.domain.RequestedService;
import org.tandem.referral.domain.ReturnRiskAssessment;
import org.tandem.referral.domain.Summary;
import org.tandem.referral.mapping.ReferralEventMapper;
import org.tandem.referral.mapping.ReferralMapper;
import org.tandem.referral.persistence.ConsentEntity;
import org.tandem.referral.persistence.KnownOrganisation;
import org.tandem.referral.persistence.ReferralEntity;
import org.tandem.referral.persistence.ReferralHistory;

/**
 * The referral commands. Each loads the referral as its domain state, asks that state for the transition
 * (the domain decides what is legal), stores the new state and appends its event to the outbox, all in
 * one transaction. Who may ask is checked by {@link PartyGuard}: the sender's organisation or the receiver's,
 * from the token.
 */
@ApplicationScoped
public class ReferralCommands {

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Inject
    DeadlineConfig deadlines;

    @Inject
    AuditLog audit;

    @Inject
    ConsentForms forms;

    @Inject
    PartyGuard parties;

    @Inject
    ReferralHistory timeline;

    @Inject
    Event<ReferralTransitioned> transitioned;

    @Transactional
    public ReferralDetails create(UUID senderOrg, String subject, CreateReferral in) {
        Instant now = clock.instant();
        KnownOrganisation sender = KnownOrganisation.findById(senderOrg);
        if (sender == null || !sender.isApproved()) {
            throw new ReferralException.NotAllowed(
                    "Your organisation is not an approved member of the network yet, so it cannot send referrals.");
        }
        KnownOrganisation receiver = referable(in.receiverOrganisationId());
        Summary summary = summary(in.summary());
        PathwayStep step = PathwayStep.first(in.stage(), in.reflectionPeriodEndsOn(), in.returnRiskAssessment());
        step.checkDatesAgainst(now);
        var facts = new ReferralFacts(
                UUID.randomUUID(),
                new Parties(senderOrg, sender.country, receiver.id, receiver.country),
                summary,
                now,
                subject,
                null,
                step);
        Referral.Draft created = Referral.Draft.create(facts);
        Referral.Draft draft =
                in.consent() == null ? created : created.recordConsent(consent(in.consent(), receiver.id, subject));
        ReferralEntity e = ReferralMapper.newEntity(draft);
        e.persist();
        audit.allowed("referral.create", "referral", e.id, e.senderOrg, e.receiverOrg);
        draft.consent()
                .ifPresent(c -> ReferralMapper.consentEntity(e.id, c, null).persist());
        em.flush(); // the new referral's row before its timeline's (the foreign key)
        history(e, now, "CREATED", senderOrg, null, null);
        if (draft.consent().isPresent()) {
            history(e, now, "CONSENT_RECORDED", senderOrg, null, null);
        }
        return new ReferralDetails(draft, e.version);
    }

    @Transactional
    public ReferralDetails recordConsent(UUID caller, UUID id, GivenConsent in, String subject, String ifMatch) {
        ReferralEntity e = parties.sender(caller, id);
        checkIfGiven(ifMatch, e);
        Referral.Draft draft = ReferralMapper.toDomain(e).as(Referral.Draft.class, "record consent on");
        Referral.Draft updated = draft.recordConsent(consent(in, e.receiverOrg, subject));
        ConsentEntity existing = ConsentEntity.findById(id);
        ReferralMapper.consentEntity(id, updated.consent().orElseThrow(), existing)
                .persist();
        e.updatedAt = clock.instant();
        audit.allowed("referral.consent-recorded", "referral", e.id, e.senderOrg, e.receiverOrg);
        history(e, e.updatedAt, "CONSENT_RECORDED", caller, null, null);
        em.flush();
        return new ReferralDetails(updated, e.version);
    }

    /** Records the return risk assessment on a draft of the stage RETURN_AND_REINTEGRATION. */
    @Transactional
    public ReferralDetails recordReturnAssessment(
            UUID caller, UUID id, ReturnRiskAssessment assessment, String ifMatch) {
        ReferralEntity e = parties.sender(caller, id);
        checkIfGiven(ifMatch, e);
        Referral.Draft draft =
                ReferralMapper.toDomain(e).as(Referral.Draft.class, "record a return risk assessment on");
        Referral.Draft updated = draft.recordReturnAssessment(assessment, clock.instant());
        ReferralMapper.applyAssessment(updated, e);
        e.updatedAt = clock.instant();
        audit.allowed("referral.return-assessment-recorded", "referral", e.id, e.senderOrg, e.receiverOrg);
        history(e, e.updatedAt, "RETURN_ASSESSMENT_RECORDED", caller, null, null);
        em.flush();
        return new ReferralDetails(updated, e.version);
    }

    /**
     * Refers her onward from an accepted (or started, or completed) referral that the caller's organisation
     * received: a new draft from the caller to the next organisation, in the same pathway, linked to this one
     * (docs/referrals.md, "Pathways and stages").
     */
    @Transactional
    public ReferralDetails onward(UUID caller, UUID id, OnwardReferral in, String subject) {
        ReferralEntity previous = parties.receiver(caller, id);
        Referral.Forwardable from = ReferralMapper.toDomain(previous)
                .as(Referral.Forwardable.class, "be referred onward (only an accepted referral can)");
        KnownOrganisation own = KnownOrganisation.findById(caller);
        if (own == null || !own.isApproved()) {
            throw new ReferralException.NotAllowed(
                    "Your organisation is not an approved member of the network yet, so it cannot send referrals.");
        }
        KnownOrganisation receiver = referable(in.receiverOrganisationId());
        Instant now = clock.instant();
        Referral.Draft created = from.onward(
                UUID.randomUUID(),
                receiver.id,
                receiver.country,
                in.stage(),
                in.reflectionPeriodEndsOn(),
                in.returnRiskAssessment(),
                in.summary() == null ? null : summary(in.summary()),
                subject,
                now);
        Referral.Draft draft =
                in.consent() == null ? created : created.recordConsent(consent(in.consent(), receiver.id, subject));
        ReferralEntity e = ReferralMapper.newEntity(draft);
        e.persist();
        draft.consent()
                .ifPresent(c -> ReferralMapper.consentEntity(e.id, c, null).persist());
        audit.allowed("referral.onward", "referral", previous.id, previous.senderOrg, previous.receiverOrg);
        audit.allowed("referral.create", "referral", e.id, e.senderOrg, e.receiverOrg);
        em.flush(); // the new referral's row before its timeline's (the foreign key)
        history(e, now, "CREATED", caller, null, previous.id);
        if (draft.consent().isPresent()) {
            history(e, now, "CONSENT_RECORDED", caller, null, null);
        }
        return new ReferralDetails(draft, e.version);
    }

    @Transactional
    public ReferralDetails submit(UUID caller, UUID id, String ifMatch) {
        return transition(caller, parties.sender(caller, id), ifMatch, r -> {
            Referral.Draft draft = r.as(Referral.Draft.class, "submit");
            referable(r.parties().receiver());
            return draft.submit(deadlines.policy(), clock.instant());
        });
    }

    @Transactional
    public ReferralDetails acknowledge(UUID caller, UUID id, String ifMatch) {
        return byReceiver(
                caller,
                id,
                ifMatch,
                Referral.Submitted.class,
                "acknowledge",
                s -> s.acknowledge(deadlines.policy(), clock.instant()));
    }

    @Transactional
    public ReferralDetails accept(UUID caller, UUID id, String ifMatch) {
        return byReceiver(caller, id, ifMatch, Referral.Acknowledged.class, "accept", s -> s.accept(clock.instant()));
    }

    @Transactional
    public ReferralDetails decline(UUID caller, UUID id, DeclineReferral in, String ifMatch) {
        return byReceiver(
                caller,
                id,
                ifMatch,
                Referral.Acknowledged.class,
                "decline",
                s -> s.decline(in.reason(), note(in.note()), clock.instant()));
    }

    @Transactional
    public ReferralDetails cancel(UUID caller, UUID id, String ifMatch) {
        return transition(
                caller,
                parties.sender(caller, id),
                ifMatch,
                r -> r.as(Referral.Cancellable.class, "cancel").cancel(clock.instant()));
    }

    @Transactional
    public ReferralDetails start(UUID caller, UUID id, String ifMatch) {
        return byReceiver(caller, id, ifMatch, Referral.Accepted.class, "start", s -> s.start(clock.instant()));
    }

    @Transactional
    public ReferralDetails complete(UUID caller, UUID id, CompleteReferral in, String ifMatch) {
        return byReceiver(
                caller,
                id,
                ifMatch,
                Referral.InProgress.class,
                "complete",
                s -> s.complete(in.outcome(), note(in.note()), clock.instant()));
    }

    /**
     * Records that the survivor withdrew her consent, told to either organisation. The referral becomes
     * WITHDRAWN, the consent is marked withdrawn, and {@link ReferralTransitioned} lets case-file custody
     * destroy the file's data key in this same transaction.
     */
    @Transactional
    public ReferralDetails withdraw(UUID caller, UUID id, String ifMatch) {
        ReferralEntity e = parties.party(caller, id);
        // the pathway's rows in one order, so that two withdrawals on one pathway wait for each other, never deadlock
        List<ReferralEntity> pathway = ReferralEntity.lockPathway(e.pathwayId);
        ReferralDetails done = withdrawOne(caller, e, ifMatch);
        for (ReferralEntity other : pathway) {
            if (!other.id.equals(id) && !Referral.Status.WITHDRAWN.name().equals(other.status)) {
                // her withdrawal reaches every referral of her pathway, and so every organisation holding her file
                withdrawOne(null, other, null);
            }
        }
        return done;
    }

    /** @param caller null when the hub withdraws a referral because her consent was withdrawn on its pathway */
    private ReferralDetails withdrawOne(UUID caller, ReferralEntity e, String ifMatch) {
        ReferralDetails done = transition(
                caller,
                e,
                ifMatch,
                r -> r.as(Referral.Withdrawable.class, "record a withdrawal of consent on")
                        .withdraw(clock.instant()));
        done.referral().consent().ifPresent(c -> {
            ConsentEntity stored = ConsentEntity.findById(e.id);
            ReferralMapper.consentEntity(e.id, c, stored).persist();
        });
        return done;
    }

    /**
     * Continues a declined referral towards another organisation: a new draft, linked to the declined one,
     * with the same summary. The consent is carried over if it names the new receiver, or given anew here.
     */
    @Transactional
    public ReferralDetails redirect(UUID caller, UUID id, RedirectReferral in, String subject) {
        ReferralEntity old = parties.sender(caller, id);
        Referral.Declined declined = ReferralMapper.toDomain(old)
                .as(Referral.Declined.class, "be redirected (only a declined referral can)");
        if (ReferralEntity.hasOpenRedirect(id)) {
            throw new ReferralException.Conflict(
                    "already-redirected",
                    "This referral has already been redirected. Cancel that redirect before redirecting it again.");
        }
        KnownOrganisation receiver = referable(in.receiverOrganisationId());
        Instant now = clock.instant();
        Referral.Draft redirected = declined.redirect(UUID.randomUUID(), receiver.id, receiver.country, subject, now);
        Referral.Draft draft = in.consent() == null
                ? redirected
                : redirected.recordConsent(consent(in.consent(), receiver.id, subject));
        ReferralEntity e = ReferralMapper.newEntity(draft);
        e.persist();
        draft.consent()
                .ifPresent(c -> ReferralMapper.consentEntity(e.id, c, null).persist());
        audit.allowed("referral.redirect", "referral", old.id, old.senderOrg, old.receiverOrg);
        audit.allowed("referral.create", "referral", e.id, e.senderOrg, e.receiverOrg);
        em.flush(); // the new referral's row before its timeline's (the foreign key)
        history(old, now, "REDIRECTED", caller, null, e.id);
        history(e, now, "CREATED", caller, null, old.id);
        if (draft.consent().isPresent()) {
            history(e, now, "CONSENT_RECORDED", caller, null, null);
        }
        return new ReferralDetails(draft, e.version);
    }

    /** A transition that only the referral's receiver may make, from the state {@code S} ({@code action} names it). */
    private <S extends Referral> ReferralDetails byReceiver(
            UUID caller, UUID id, String ifMatch, Class<S> state, String action, Function<S, Referral> change) {
        return transition(caller, parties.receiver(caller, id), ifMatch, r -> change.apply(r.as(state, action)));
    }

    private ReferralDetails transition(
            UUID caller, ReferralEntity e, String ifMatch, Function<Referral, Referral> change) {
        checkIfGiven(ifMatch, e);
        Referral.Status from = Referral.Status.valueOf(e.status);
        Referral next = change.apply(ReferralMapper.toDomain(e));
        Instant now = clock.instant();
        ReferralMapper.applyState(next, e, now);
        em.flush(); // bumps the version, or fails if another transaction changed the referral first
        audit.allowed(
                "referral." + next.status().name().toLowerCase(Locale.ROOT),
                "referral",
                e.id,
                e.senderOrg,
                e.receiverOrg);
        SpecificRecord event = ReferralEventMapper.eventFor(next, e.version, now);
        if (event != null) {
            outbox.append(Topics.REFERRALS, e.id.toString(), event);
        }
        history(
                e,
                now,
                next.status() == Referral.Status.IN_PROGRESS
                        ? "STARTED"
                        : next.status().name(),
                caller,
                code(next),
                null);
        transitioned.fire(new ReferralTransitioned(next, from));
        return new ReferralDetails(next, e.version);
    }

    private static String code(Referral r) {
        return switch (r) {
            case Referral.Declined d -> d.reason().name();
            case Referral.Completed c -> c.outcome().name();
            default -> null;
        };
    }

    private static String note(String note) {
        return note == null || note.isBlank() ? null : note.strip();
    }

    private void history(ReferralEntity e, Instant at, String step, UUID actor, String code, UUID linked) {
        timeline.append(e.id, at, step, e.status, actor, code, linked);
    }

    /** An approved member organisation, or a 422 naming the field. */
    private static KnownOrganisation referable(UUID receiverId) {
        KnownOrganisation receiver = KnownOrganisation.findById(receiverId);
        if (receiver == null || !receiver.isApproved()) {
            throw new ReferralException.Unprocessable(
                    "unknown-organisation",
                    "No approved member organisation has the id " + receiverId + ". Find one in the directory.",
                    "receiverOrganisationId",
                    "is not an approved member organisation");
        }
        return receiver;
    }

    private static void checkIfGiven(String ifMatch, ReferralEntity e) {
        if (ifMatch != null) {
            ETags.requireMatch(ifMatch, e.version);
        }
    }

    private static Summary summary(ReferralSummary in) {
        Set<RequestedService> services = EnumSet.copyOf(in.requestedServices());
        return new Summary(
                in.urgency(),
                services,
                in.languages() == null
                        ? List.of()
                        : in.languages().stream().distinct().toList(),
                in.ageBand(),
                in.accompanyingChildren(),
                in.safetyRisk(),
                in.arrivalEarliest(),
                in.arrivalLatest());
    }

    private Consent consent(GivenConsent in, UUID receiver, String subject) {
        if (!forms.exists(in.formVersion(), in.formLanguage())) {
            throw new ReferralException.InvalidField(
                    "consent.formVersion",
                    "names no consent form in the language " + in.formLanguage() + "; see GET /api/v1/consent-forms");
        }
        Set<UUID> recipients =
                in.recipients() == null || in.recipients().isEmpty() ? Set.of(receiver) : in.recipients();
        return new Consent(
                recipients,
                in.purposes(),
                in.dataCategories(),
                in.givenAt(),
                in.expiresAt(),
                in.formLanguage(),
                in.formVersion(),
                in.interpreterPresent(),
                in.method(),
                subject,
                null);
    }
}
