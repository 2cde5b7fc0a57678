package org.tandem.referral.mapping;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;

import org.tandem.events.common.ServiceCode;
import org.tandem.events.referral.DeadlineKind;
import org.tandem.events.referral.DeclineReason;
import org.tandem.events.referral.Outcome;
import org.tandem.events.referral.ReferralAccepted;
import org.tandem.events.referral.ReferralAcknowledged;
import org.tandem.events.referral.ReferralCancelled;
import org.tandem.events.referral.ReferralCompleted;
import org.tandem.events.referral.ReferralDeclined;
import org.tandem.events.referral.ReferralEscalated;
import org.tandem.events.referral.ReferralRef;
import org.tandem.events.referral.ReferralStarted;
import org.tandem.events.referral.ReferralStatus;
import org.tandem.events.referral.ReferralSubmitted;
import org.tandem.events.referral.ReferralWithdrawn;
import org.tandem.events.referral.Urgency;
import org.tandem.referral.domain.Referral;

/**
 * The event for a referral's new state. Events carry ids, country codes, codes, counts and coarse
 * timestamps only (docs/design.md §4.1): never the decline note, never anything from the file.
 */
public final class ReferralEventMapper {

    private ReferralEventMapper() {}

    /**
     * The event announcing {@code referral}'s current state, or null when the state is not announced: a
     * draft, and the cancellation or withdrawal of a draft (the receiver never learnt of it).
     */
    public static SpecificRecord eventFor(Referral referral, long version, Instant at) {
        ReferralRef ref = ref(referral, version);
        String eventId = UUID.randomUUID().toString();
        Instant occurredAt = at.truncatedTo(ChronoUnit.SECONDS);
        return switch (referral) {
            case Referral.Submitted s ->
                ReferralSubmitted.newBuilder()
                        .setEventId(eventId)
                        .setOccurredAt(occurredAt)
                        .setReferral(ref)
                        .setUrgency(
                                Urgency.valueOf(s.facts().summary().urgency().name()))
                        .setRequestedServices(s.facts().summary().requestedServices().stream()
                                .map(x -> ServiceCode.valueOf(x.name()))
                                .sorted()
                                .toList())
                        .setAcknowledgeBy(s.timeline().acknowledgeBy().truncatedTo(ChronoUnit.SECONDS))
                        .setRedirectedFromReferralId(
                                s.facts().redirectedFrom() == null
                                        ? null
                                        : s.facts().redirectedFrom().toString())
                        .setOnwardFromReferralId(
                                s.facts().pathway().onwardFrom() == null
                                        ? null
                                        : s.facts().pathway().onwardFrom().toString())
                        .build();
            case Referral.Acknowledged a ->
                ReferralAcknowledged.newBuilder()
                        .setEventId(eventId)
                        .setOccurredAt(occurredAt)
                        .setReferral(ref)
                        .setDecideBy(a.timeline().decideBy().truncatedTo(ChronoUnit.SECONDS))
                        .build();
            case Referral.Accepted a ->
                ReferralAccepted.newBuilder()
                        .setEventId(eventId)
                        .setOccurredAt(occurredAt)
                        .setReferral(ref)
                        .build();
            case Referral.Declined d ->
                ReferralDeclined.newBuilder()
                        .setEventId(eventId)
                        .setOccurredAt(occurredAt)
                        .setReferral(ref)
                        .setReason(DeclineReason.valueOf(d.reason().name()))
                        .build();
            // a draft was never announced to the receiver, so its end is not announced either
            case Referral.Cancelled c when c.from() == Referral.Status.DRAFT -> null;
            case Referral.Withdrawn w when w.from() == Referral.Status.DRAFT -> null;
            case Referral.Cancelled c ->
                ReferralCancelled.newBuilder()
                        .setEventId(eventId)
                        .setOccurredAt(occurredAt)
                        .setReferral(ref)
                        .build();
            case Referral.InProgress p ->
                ReferralStarted.newBuilder()
                        .setEventId(eventId)
                        .setOccurredAt(occurredAt)
                        .setReferral(ref)
                        .build();
            case Referral.Completed c ->
                ReferralCompleted.newBuilder()
                        .setEventId(eventId)
                        .setOccurredAt(occurredAt)
                        .setReferral(ref)
                        .setOutcome(Outcome.valueOf(c.outcome().name()))
                        .build();
            case Referral.Withdrawn w ->
                ReferralWithdrawn.newBuilder()
                        .setEventId(eventId)
                        .setOccurredAt(occurredAt)
                        .setReferral(ref)
                        .setPreviousStatus(ReferralStatus.valueOf(w.from().name()))
                        .build();
            default -> null;
        };
    }

    /** The flag raised when {@code referral} missed its {@code kind} deadline (ACKNOWLEDGE or DECIDE). */
    public static ReferralEscalated escalated(Referral referral, long version, String kind, Instant dueAt, Instant at) {
        return ReferralEscalated.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(at.truncatedTo(ChronoUnit.SECONDS))
                .setReferral(ref(referral, version))
                .setMissedDeadline(DeadlineKind.valueOf(kind))
                .setDueAt(dueAt.truncatedTo(ChronoUnit.SECONDS))
                .setUrgency(Urgency.valueOf(referral.facts().summary().urgency().name()))
                .build();
    }

    static ReferralRef ref(Referral r, long version) {
        var p = r.parties();
        return ReferralRef.newBuilder()
                .setReferralId(r.id().toString())
                .setVersion(version)
                .setStatus(ReferralStatus.valueOf(r.status().name()))
                .setSenderOrganisationId(p.sender().toString())
                .setReceiverOrganisationId(p.receiver().toString())
                .setSenderCountry(p.senderCountry())
                .setReceiverCountry(p.receiverCountry())
                .setPathwayId(r.facts().pathway().pathwayId().toString())
                .setStage(org.tandem.events.referral.Stage.valueOf(
                        r.facts().pathway().stage().name()))
                .build();
    }
}
