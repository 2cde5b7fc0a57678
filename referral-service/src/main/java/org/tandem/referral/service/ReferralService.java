package org.tandem.referral.service;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.apache.avro.specific.SpecificRecord;
import org.tandem.events.Topics;
import org.tandem.platform.audit.AuditLog;
import org.tandem.platform.http.ETags;
import org.tandem.platform.outbox.Outbox;
import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.problem.Problems;
import org.tandem.referral.domain.Consent;
import org.tandem.referral.domain.DeclineReason;
import org.tandem.referral.domain.Outcome;
import org.tandem.referral.domain.Parties;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.ReferralFacts;
import org.tandem.referral.domain.ReferralRuleException;
import org.tandem.referral.domain.RequestedService;
import org.tandem.referral.domain.Summary;
import org.tandem.referral.mapping.ConsentFormHtml;
import org.tandem.referral.mapping.FhirView;
import org.tandem.referral.mapping.ReferralEventMapper;
import org.tandem.referral.mapping.ReferralMapper;
import org.tandem.referral.persistence.ConsentEntity;
import org.tandem.referral.persistence.HistoryEntry;
import org.tandem.referral.persistence.KnownOrganisation;
import org.tandem.referral.persistence.ReferralEntity;
import org.tandem.referral.rest.NewReferral;
import org.tandem.referral.rest.TimelineStep;

/**
 * The referral commands. Each loads the referral as its domain state, asks that state for the transition
 * (the domain decides what is legal), stores the new state and appends its event to the outbox, all in
 * one transaction. Who may ask is checked here: the sender's organisation or the receiver's, from the token.
 */
@ApplicationScoped
public class ReferralService {

    /** A loaded referral with its row version, for ETags. */
    public record Loaded(Referral referral, long version) {
    }

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
    jakarta.enterprise.event.Event<ReferralTransitioned> transitioned;

    @Transactional
    public Loaded create(UUID senderOrg, String subject, NewReferral in) {
        Instant now = clock.instant();
        KnownOrganisation sender = KnownOrganisation.findById(senderOrg);
        if (sender == null || !sender.isApproved()) {
            throw ProblemException.forbidden("Your organisation is not an approved member of the network yet, so it cannot send referrals.");
        }
        KnownOrganisation receiver = referable(in.receiverOrganisationId());
        Referral.Draft draft = domain(() -> {
            Summary summary = summary(in.summary());
            var facts = new ReferralFacts(UUID.randomUUID(), new Parties(senderOrg, sender.country, receiver.id, receiver.country),
                    summary, now, subject, null);
            Referral.Draft d = Referral.Draft.create(facts);
            return in.consent() == null ? d : d.recordConsent(consent(in.consent(), receiver.id, subject));
        });
        ReferralEntity e = ReferralMapper.newEntity(draft);
        e.persist();
        audit.allowed("referral.create", "referral", e.id, e.senderOrg, e.receiverOrg);
        draft.consent().ifPresent(c -> ReferralMapper.consentEntity(e.id, c, null).persist());
        history(e, now, "CREATED", senderOrg, null, null);
        if (draft.consent().isPresent()) {
            history(e, now, "CONSENT_RECORDED", senderOrg, null, null);
        }
        em.flush();
        return new Loaded(draft, e.version);
    }

    @Transactional
    public Loaded recordConsent(UUID caller, UUID id, NewReferral.ConsentInput in, String subject, String ifMatch) {
        ReferralEntity e = loadForSender(caller, id);
        checkIfGiven(ifMatch, e);
        Referral r = toDomain(e);
        if (!(r instanceof Referral.Draft draft)) {
            throw illegal(r, "record consent on");
        }
        Referral.Draft updated = domain(() -> draft.recordConsent(consent(in, e.receiverOrg, subject)));
        ConsentEntity existing = ConsentEntity.findById(id);
        ReferralMapper.consentEntity(id, updated.consent().orElseThrow(), existing).persist();
        e.updatedAt = clock.instant();
        audit.allowed("referral.consent-recorded", "referral", e.id, e.senderOrg, e.receiverOrg);
        history(e, e.updatedAt, "CONSENT_RECORDED", caller, null, null);
        em.flush();
        return new Loaded(updated, e.version);
    }

    @Transactional
    public Loaded submit(UUID caller, UUID id, String ifMatch) {
        return transition(caller, loadForSender(caller, id), ifMatch, r -> {
            if (!(r instanceof Referral.Draft draft)) {
                throw illegal(r, "submit");
            }
            referable(r.parties().receiver());
            return domain(() -> draft.submit(deadlines.policy(), clock.instant()));
        });
    }

    @Transactional
    public Loaded acknowledge(UUID caller, UUID id, String ifMatch) {
        return transition(caller, loadForReceiver(caller, id), ifMatch, r -> {
            if (!(r instanceof Referral.Submitted submitted)) {
                throw illegal(r, "acknowledge");
            }
            return submitted.acknowledge(deadlines.policy(), clock.instant());
        });
    }

    @Transactional
    public Loaded accept(UUID caller, UUID id, String ifMatch) {
        return transition(caller, loadForReceiver(caller, id), ifMatch, r -> {
            if (!(r instanceof Referral.Acknowledged acknowledged)) {
                throw illegal(r, "accept");
            }
            return acknowledged.accept(clock.instant());
        });
    }

    @Transactional
    public Loaded decline(UUID caller, UUID id, DeclineReason reason, String note, String ifMatch) {
        return transition(caller, loadForReceiver(caller, id), ifMatch, r -> {
            if (!(r instanceof Referral.Acknowledged acknowledged)) {
                throw illegal(r, "decline");
            }
            return domain(() -> acknowledged.decline(reason, note == null || note.isBlank() ? null : note.strip(), clock.instant()));
        });
    }

    @Transactional
    public Loaded cancel(UUID caller, UUID id, String ifMatch) {
        return transition(caller, loadForSender(caller, id), ifMatch, r -> {
            if (!(r instanceof Referral.Cancellable cancellable)) {
                throw illegal(r, "cancel");
            }
            return cancellable.cancel(clock.instant());
        });
    }

    @Transactional
    public Loaded start(UUID caller, UUID id, String ifMatch) {
        return transition(caller, loadForReceiver(caller, id), ifMatch, r -> {
            if (!(r instanceof Referral.Accepted accepted)) {
                throw illegal(r, "start");
            }
            return accepted.start(clock.instant());
        });
    }

    @Transactional
    public Loaded complete(UUID caller, UUID id, Outcome outcome, String note, String ifMatch) {
        return transition(caller, loadForReceiver(caller, id), ifMatch, r -> {
            if (!(r instanceof Referral.InProgress inProgress)) {
                throw illegal(r, "complete");
            }
            return domain(() -> inProgress.complete(outcome, note == null || note.isBlank() ? null : note.strip(), clock.instant()));
        });
    }

    /**
     * Records that the survivor withdrew her consent, told to either organisation. The referral becomes
     * WITHDRAWN, the consent is marked withdrawn, and {@link ReferralTransitioned} lets case-file custody
     * destroy the file's data key in this same transaction.
     */
    @Transactional
    public Loaded withdraw(UUID caller, UUID id, String ifMatch) {
        ReferralEntity e = loadForParty(caller, id);
        Loaded done = transition(caller, e, ifMatch, r -> {
            if (!(r instanceof Referral.Withdrawable withdrawable)) {
                throw illegal(r, "record a withdrawal of consent on");
            }
            return withdrawable.withdraw(clock.instant());
        });
        done.referral().consent().ifPresent(c -> {
            ConsentEntity stored = ConsentEntity.findById(id);
            ReferralMapper.consentEntity(id, c, stored).persist();
        });
        return done;
    }

    /**
     * Continues a declined referral towards another organisation: a new draft, linked to the declined one,
     * with the same summary. The consent is carried over if it names the new receiver, or given anew here.
     */
    @Transactional
    public Loaded redirect(UUID caller, UUID id, UUID newReceiver, NewReferral.ConsentInput newConsent, String subject) {
        ReferralEntity old = loadForSender(caller, id);
        Referral r = toDomain(old);
        if (!(r instanceof Referral.Declined declined)) {
            throw illegal(r, "be redirected (only a declined referral can)");
        }
        if (ReferralEntity.count("redirectedFrom = ?1 and status not in ('CANCELLED', 'WITHDRAWN')", id) > 0) {
            throw ProblemException.conflict("already-redirected",
                    "This referral has already been redirected. Cancel that redirect before redirecting it again.");
        }
        KnownOrganisation receiver = referable(newReceiver);
        Instant now = clock.instant();
        Referral.Draft draft = domain(() -> {
            Referral.Draft d = declined.redirect(UUID.randomUUID(), receiver.id, receiver.country, subject, now);
            return newConsent == null ? d : d.recordConsent(consent(newConsent, receiver.id, subject));
        });
        ReferralEntity e = ReferralMapper.newEntity(draft);
        e.persist();
        draft.consent().ifPresent(c -> ReferralMapper.consentEntity(e.id, c, null).persist());
        audit.allowed("referral.redirect", "referral", old.id, old.senderOrg, old.receiverOrg);
        audit.allowed("referral.create", "referral", e.id, e.senderOrg, e.receiverOrg);
        history(old, now, "REDIRECTED", caller, null, e.id);
        history(e, now, "CREATED", caller, null, old.id);
        if (draft.consent().isPresent()) {
            history(e, now, "CONSENT_RECORDED", caller, null, null);
        }
        em.flush();
        return new Loaded(draft, e.version);
    }

    /**
     * The consent form for this referral, to print for her signature: in {@code language} (default: the
     * recorded consent's, else English) and {@code version} (default: the current one), naming the
     * receiver, with what a recorded consent already covers ticked. For the sender only.
     */
    @Transactional
    public String consentForm(UUID caller, UUID id, String language, String version) {
        ReferralEntity e = loadForSender(caller, id);
        Referral r = toDomain(e);
        String lang = language != null ? language : r.consent().map(Consent::formLanguage).orElse("eng");
        String ver = version != null ? version : forms.currentVersion();
        var form = forms.find(ver, lang).orElseThrow(() -> ProblemException.invalidField(language != null ? "language" : "version",
                "names no consent form; see GET /api/v1/consent-forms"));
        List<ConsentFormHtml.Recipient> recipients = new java.util.ArrayList<>();
        recipients.add(new ConsentFormHtml.Recipient(e.receiverOrg, e.receiverCountry.strip()));
        audit.allowed("referral.consent-form-printed", "referral", e.id, e.senderOrg, e.receiverOrg);
        return ConsentFormHtml.render(form, recipients,
                r.consent().map(Consent::purposes).orElse(Set.of()), r.consent().map(Consent::dataCategories).orElse(Set.of()),
                r.consent().map(Consent::expiresAt).orElse(null), e.id);
    }

    /** The referral as a FHIR R4 Bundle (Task, ServiceRequest, and the Consent for the sender), for either party. */
    @Transactional
    public java.util.Map<String, Object> fhir(UUID caller, UUID id, String base) {
        ReferralEntity e = loadForParty(caller, id);
        audit.allowed("referral.fhir-read", "referral", e.id, e.senderOrg, e.receiverOrg);
        return FhirView.bundle(toDomain(e), caller, e.version, base);
    }

    /** The steps of a referral, oldest first, for either party. */
    @Transactional
    public List<TimelineStep> timeline(UUID caller, UUID id) {
        ReferralEntity e = loadForParty(caller, id);
        audit.allowed("referral.timeline-read", "referral", e.id, e.senderOrg, e.receiverOrg);
        return HistoryEntry.of(id).stream().map(h -> new TimelineStep(h.at, h.step, h.status,
                h.actorOrg == null ? "HUB" : h.actorOrg.equals(e.senderOrg) ? "SENDER" : "RECEIVER", h.code, h.linkedReferral))
                .toList();
    }

    /** The referral if the caller's organisation is a party to it; the same 404 otherwise (docs/design.md §4.2). */
    @Transactional
    public Loaded read(UUID caller, UUID id) {
        ReferralEntity e = loadForParty(caller, id);
        audit.allowed("referral.read", "referral", e.id, e.senderOrg, e.receiverOrg);
        return new Loaded(toDomain(e), e.version);
    }

    @Transactional
    public List<Loaded> list(UUID caller, boolean sent, int limit) {
        String query = sent ? "senderOrg = ?1 order by updatedAt desc" : "receiverOrg = ?1 and status <> 'DRAFT' order by updatedAt desc";
        List<ReferralEntity> rows = ReferralEntity.find(query, caller).page(0, limit).list();
        audit.allowed(sent ? "referral.list-sent" : "referral.list-received", "referral", null, caller);
        return rows.stream().map(e -> new Loaded(toDomain(e), e.version)).toList();
    }

    private Loaded transition(UUID caller, ReferralEntity e, String ifMatch, Function<Referral, Referral> change) {
        checkIfGiven(ifMatch, e);
        Referral.Status from = Referral.Status.valueOf(e.status);
        Referral next = change.apply(toDomain(e));
        Instant now = clock.instant();
        ReferralMapper.applyState(next, e, now);
        em.flush(); // bumps the version, or fails if another transaction changed the referral first
        audit.allowed("referral." + next.status().name().toLowerCase(java.util.Locale.ROOT), "referral", e.id, e.senderOrg, e.receiverOrg);
        SpecificRecord event = ReferralEventMapper.eventFor(next, e.version, now);
        if (event != null) {
            outbox.append(Topics.REFERRALS, e.id.toString(), event);
        }
        history(e, now, next.status() == Referral.Status.IN_PROGRESS ? "STARTED" : next.status().name(), caller, code(next), null);
        transitioned.fire(new ReferralTransitioned(next, from));
        return new Loaded(next, e.version);
    }

    private static String code(Referral r) {
        return switch (r) {
            case Referral.Declined d -> d.reason().name();
            case Referral.Completed c -> c.outcome().name();
            default -> null;
        };
    }

    private static void history(ReferralEntity e, Instant at, String step, UUID actor, String code, UUID linked) {
        HistoryEntry.of(e.id, at, step, e.status, actor, code, linked).persist();
    }

    ReferralEntity loadForParty(UUID caller, UUID id) { // also CaseFileService's party check
        ReferralEntity e = ReferralEntity.findById(id);
        if (e == null || !(e.senderOrg.equals(caller) || (e.receiverOrg.equals(caller) && !"DRAFT".equals(e.status)))) {
            // recorded for the organisations involved, so that they can see who asked for their referral
            audit.denied("referral.access", "referral", id, e == null ? null : e.senderOrg, e == null ? null : e.receiverOrg);
            throw ProblemException.notFound("referral");
        }
        return e;
    }

    private ReferralEntity loadForSender(UUID caller, UUID id) {
        ReferralEntity e = loadForParty(caller, id);
        if (!e.senderOrg.equals(caller)) {
            audit.denied("referral.sender-action", "referral", id, e.senderOrg, e.receiverOrg);
            throw ProblemException.forbidden("Only the sending organisation can do this.");
        }
        return e;
    }

    private ReferralEntity loadForReceiver(UUID caller, UUID id) {
        ReferralEntity e = loadForParty(caller, id);
        if (!e.receiverOrg.equals(caller)) {
            audit.denied("referral.receiver-action", "referral", id, e.senderOrg, e.receiverOrg);
            throw ProblemException.forbidden("Only the receiving organisation can do this.");
        }
        return e;
    }

    private KnownOrganisation referable(UUID receiverId) {
        KnownOrganisation receiver = KnownOrganisation.findById(receiverId);
        if (receiver == null || !receiver.isApproved()) {
            throw Problems.unprocessable("receiverOrganisationId", "is not an approved member organisation", "unknown-organisation",
                    "No approved member organisation has the id " + receiverId + ". Find one in the directory.");
        }
        return receiver;
    }

    private static Referral toDomain(ReferralEntity e) {
        return ReferralMapper.toDomain(e, ConsentEntity.findById(e.id));
    }

    private static void checkIfGiven(String ifMatch, ReferralEntity e) {
        if (ifMatch != null) {
            ETags.requireMatch(ifMatch, e.version);
        }
    }

    private static ProblemException illegal(Referral r, String action) {
        return ProblemException.conflict("illegal-transition",
                "A referral that is " + r.status() + " cannot be asked to " + action + ".");
    }

    private static <T> T domain(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (ReferralRuleException e) {
            String field = e.field();
            if (field.startsWith("consent") && e.getMessage().startsWith("does not allow")
                    || "consent".equals(field) && e.getMessage().startsWith("must be recorded")) {
                throw Problems.unprocessable(field, e.getMessage(), "consent-required", "Valid consent is required",
                        "The survivor's consent " + e.getMessage() + ".");
            }
            throw ProblemException.invalidField(field, e.getMessage());
        }
    }

    private static Summary summary(NewReferral.SummaryInput in) {
        Set<RequestedService> services = EnumSet.copyOf(in.requestedServices());
        return new Summary(in.urgency(), services, in.languages() == null ? List.of() : in.languages().stream().distinct().toList(),
                in.ageBand(), in.accompanyingChildren(), in.safetyRisk(), in.arrivalEarliest(), in.arrivalLatest());
    }

    private Consent consent(NewReferral.ConsentInput in, UUID receiver, String subject) {
        if (!forms.exists(in.formVersion(), in.formLanguage())) {
            throw new ReferralRuleException("consent.formVersion", "names no consent form in the language " + in.formLanguage()
                    + "; see GET /api/v1/consent-forms");
        }
        Set<UUID> recipients = in.recipients() == null || in.recipients().isEmpty() ? Set.of(receiver) : in.recipients();
        return new Consent(recipients, in.purposes(), in.dataCategories(), in.givenAt(), in.expiresAt(), in.formLanguage(),
                in.formVersion(), in.interpreterPresent(), in.method(), subject, null);
    }
}
