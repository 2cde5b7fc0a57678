package org.tandem.referral.mapping;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.tandem.referral.domain.AgeBand;
import org.tandem.referral.domain.ChildAgeBand;
import org.tandem.referral.domain.Consent;
import org.tandem.referral.domain.DeclineReason;
import org.tandem.referral.domain.Outcome;
import org.tandem.referral.domain.Parties;
import org.tandem.referral.domain.PathwayStep;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.ReferralFacts;
import org.tandem.referral.domain.RequestedService;
import org.tandem.referral.domain.ReturnRiskAssessment;
import org.tandem.referral.domain.SafetyRisk;
import org.tandem.referral.domain.Stage;
import org.tandem.referral.domain.Summary;
import org.tandem.referral.domain.Timeline;
import org.tandem.referral.domain.Urgency;
import org.tandem.referral.persistence.ConsentEntity;
import org.tandem.referral.persistence.ReferralEntity;

/** Between the stored rows and the domain's state types. */
public final class ReferralMapper {

    private ReferralMapper() {}

    /** The stored referral with its stored consent, if any. */
    public static Referral toDomain(ReferralEntity e) {
        return toDomain(e, ConsentEntity.findById(e.id));
    }

    public static Referral toDomain(ReferralEntity e, ConsentEntity c) {
        ReferralFacts facts = new ReferralFacts(
                e.id,
                new Parties(e.senderOrg, e.senderCountry, e.receiverOrg, e.receiverCountry),
                summary(e),
                e.createdAt,
                e.createdBy,
                e.redirectedFrom,
                pathway(e));
        Optional<Consent> consent = Optional.ofNullable(c).map(ReferralMapper::consent);
        Timeline t = new Timeline(
                e.submittedAt, e.acknowledgeBy, e.acknowledgedAt, e.decideBy, e.decidedAt, e.startedAt, e.closedAt);
        Referral.Status status = Referral.Status.valueOf(e.status);
        return switch (status) {
            case DRAFT -> new Referral.Draft(facts, consent);
            case SUBMITTED -> new Referral.Submitted(facts, consent.orElseThrow(), t);
            case ACKNOWLEDGED -> new Referral.Acknowledged(facts, consent.orElseThrow(), t);
            case ACCEPTED -> new Referral.Accepted(facts, consent.orElseThrow(), t);
            case DECLINED ->
                new Referral.Declined(
                        facts, consent.orElseThrow(), t, DeclineReason.valueOf(e.declineReason), e.declineNote);
            case IN_PROGRESS -> new Referral.InProgress(facts, consent.orElseThrow(), t);
            case COMPLETED ->
                new Referral.Completed(facts, consent.orElseThrow(), t, Outcome.valueOf(e.outcome), e.outcomeNote);
            case CANCELLED -> new Referral.Cancelled(facts, consent, t, Referral.Status.valueOf(e.statusBeforeClose));
            case WITHDRAWN -> new Referral.Withdrawn(facts, consent, t, Referral.Status.valueOf(e.statusBeforeClose));
        };
    }

    /** Writes a new state onto the row; the facts are written once, by {@link #newEntity}. */
    public static void applyState(Referral r, ReferralEntity e, Instant now) {
        e.status = r.status().name();
        Timeline t = r.timeline();
        e.submittedAt = t.submittedAt();
        e.acknowledgeBy = t.acknowledgeBy();
        e.acknowledgedAt = t.acknowledgedAt();
        e.decideBy = t.decideBy();
        e.decidedAt = t.decidedAt();
        e.startedAt = t.startedAt();
        e.closedAt = t.closedAt();
        switch (r) {
            case Referral.Declined d -> {
                e.declineReason = d.reason().name();
                e.declineNote = d.note();
            }
            case Referral.Completed c -> {
                e.outcome = c.outcome().name();
                e.outcomeNote = c.note();
            }
            case Referral.Cancelled c -> e.statusBeforeClose = c.from().name();
            case Referral.Withdrawn w -> e.statusBeforeClose = w.from().name();
            default -> {}
        }
        e.updatedAt = now;
    }

    public static ReferralEntity newEntity(Referral.Draft draft) {
        ReferralFacts f = draft.facts();
        Summary s = f.summary();
        var e = new ReferralEntity();
        e.id = f.id();
        e.senderOrg = f.parties().sender();
        e.senderCountry = f.parties().senderCountry();
        e.receiverOrg = f.parties().receiver();
        e.receiverCountry = f.parties().receiverCountry();
        e.urgency = s.urgency().name();
        e.requestedServices =
                s.requestedServices().stream().map(Enum::name).sorted().toArray(String[]::new);
        e.languages = s.languages().toArray(String[]::new);
        e.ageBand = s.ageBand().name();
        e.childrenAgeBands = s.accompanyingChildren().stream().map(Enum::name).toArray(String[]::new);
        e.safetyRisk = s.safetyRisk().name();
        e.arrivalEarliest = s.arrivalEarliest();
        e.arrivalLatest = s.arrivalLatest();
        e.createdAt = f.createdAt();
        e.createdBy = f.createdBy();
        e.redirectedFrom = f.redirectedFrom();
        e.pathwayId = f.pathway().pathwayId();
        e.onwardFrom = f.pathway().onwardFrom();
        e.stage = f.pathway().stage().name();
        e.reflectionPeriodEndsOn = f.pathway().reflectionPeriodEndsOn();
        applyAssessment(draft, e);
        applyState(draft, e, f.createdAt());
        return e;
    }

    /** Writes a draft's return risk assessment onto its row. */
    public static void applyAssessment(Referral.Draft draft, ReferralEntity e) {
        ReturnRiskAssessment a = draft.facts().pathway().returnRiskAssessment();
        e.returnAssessorRole = a == null ? null : a.assessorRole().name();
        e.returnAssessedOn = a == null ? null : a.assessedOn();
        e.returnRiskLevel = a == null ? null : a.outcomeLevel().name();
    }

    static PathwayStep pathway(ReferralEntity e) {
        ReturnRiskAssessment a = e.returnAssessorRole == null
                ? null
                : new ReturnRiskAssessment(
                        ReturnRiskAssessment.AssessorRole.valueOf(e.returnAssessorRole),
                        e.returnAssessedOn,
                        ReturnRiskAssessment.RiskLevel.valueOf(e.returnRiskLevel));
        return new PathwayStep(e.pathwayId, e.onwardFrom, Stage.valueOf(e.stage), e.reflectionPeriodEndsOn, a);
    }

    public static ConsentEntity consentEntity(java.util.UUID referralId, Consent c, ConsentEntity into) {
        ConsentEntity e = into == null ? new ConsentEntity() : into;
        e.referralId = referralId;
        e.recipients = c.recipients().stream().sorted().toArray(java.util.UUID[]::new);
        e.purposes = c.purposes().stream().map(Enum::name).sorted().toArray(String[]::new);
        e.dataCategories = c.dataCategories().stream().map(Enum::name).sorted().toArray(String[]::new);
        e.givenAt = c.givenAt();
        e.expiresAt = c.expiresAt();
        e.formLanguage = c.formLanguage();
        e.formVersion = c.formVersion();
        e.interpreterPresent = c.interpreterPresent();
        e.method = c.method().name();
        e.recordedBy = c.recordedBy();
        e.withdrawnAt = c.withdrawnAt();
        return e;
    }

    static Summary summary(ReferralEntity e) {
        return new Summary(
                Urgency.valueOf(e.urgency),
                Arrays.stream(e.requestedServices)
                        .map(RequestedService::valueOf)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(RequestedService.class))),
                List.of(e.languages),
                AgeBand.valueOf(e.ageBand),
                Arrays.stream(e.childrenAgeBands).map(ChildAgeBand::valueOf).toList(),
                SafetyRisk.valueOf(e.safetyRisk),
                e.arrivalEarliest,
                e.arrivalLatest);
    }

    static Consent consent(ConsentEntity c) {
        return new Consent(
                Set.of(c.recipients),
                Arrays.stream(c.purposes).map(Consent.Purpose::valueOf).collect(Collectors.toSet()),
                Arrays.stream(c.dataCategories)
                        .map(Consent.DataCategory::valueOf)
                        .collect(Collectors.toSet()),
                c.givenAt,
                c.expiresAt,
                c.formLanguage,
                c.formVersion,
                c.interpreterPresent,
                Consent.Method.valueOf(c.method),
                c.recordedBy,
                c.withdrawnAt);
    }
}
