package org.tandem.notification.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.tandem.events.common.ServiceCode;
import org.tandem.events.referral.DeadlineKind;
import org.tandem.events.referral.ReferralAcknowledged;
import org.tandem.events.referral.ReferralEscalated;
import org.tandem.events.referral.ReferralRef;
import org.tandem.events.referral.ReferralStatus;
import org.tandem.events.referral.ReferralSubmitted;
import org.tandem.events.referral.Urgency;
import org.tandem.events.registry.KeyUse;
import org.tandem.events.registry.MembershipStatus;
import org.tandem.events.registry.OrganisationKeyRotated;
import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.events.registry.PublicKeyRef;
import org.tandem.testing.TestOrganisation;

/** Referral and organisation events as referral-service and registry-service publish them, with made-up ids only. */
public final class Events {

    private Events() {}

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    public static ReferralRef ref(
            String referralId,
            TestOrganisation sender,
            TestOrganisation receiver,
            ReferralStatus status,
            long version) {
        return ReferralRef.newBuilder()
                .setReferralId(referralId)
                .setVersion(version)
                .setStatus(status)
                .setSenderOrganisationId(sender.id().toString())
                .setReceiverOrganisationId(receiver.id().toString())
                .setSenderCountry(sender.country())
                .setReceiverCountry(receiver.country())
                .build();
    }

    public static ReferralSubmitted submitted(String referralId, TestOrganisation sender, TestOrganisation receiver) {
        return ReferralSubmitted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now())
                .setReferral(ref(referralId, sender, receiver, ReferralStatus.SUBMITTED, 1))
                .setUrgency(Urgency.URGENT)
                .setRequestedServices(List.of(ServiceCode.SAFE_ACCOMMODATION))
                .setAcknowledgeBy(now().plus(1, ChronoUnit.DAYS))
                .build();
    }

    public static ReferralAcknowledged acknowledged(
            String referralId, TestOrganisation sender, TestOrganisation receiver) {
        return ReferralAcknowledged.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now())
                .setReferral(ref(referralId, sender, receiver, ReferralStatus.ACKNOWLEDGED, 2))
                .setDecideBy(now().plus(3, ChronoUnit.DAYS))
                .build();
    }

    public static ReferralEscalated escalated(String referralId, TestOrganisation sender, TestOrganisation receiver) {
        return ReferralEscalated.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now())
                .setReferral(ref(referralId, sender, receiver, ReferralStatus.SUBMITTED, 1))
                .setMissedDeadline(DeadlineKind.ACKNOWLEDGE)
                .setDueAt(now().minus(1, ChronoUnit.HOURS))
                .setUrgency(Urgency.URGENT)
                .build();
    }

    /**
     * What registry-service publishes when {@code org}'s admin publishes {@code published} (made-up kids and
     * thumbprints; the snapshot lists them as its current keys).
     */
    public static OrganisationKeyRotated keysPublished(TestOrganisation org, List<PublicKeyRef> published) {
        var snapshot = OrganisationSnapshot.newBuilder()
                .setOrganisationId(org.id().toString())
                .setVersion(2)
                .setCountry(org.country())
                .setMembershipStatus(MembershipStatus.APPROVED)
                .setServices(List.of())
                .setLanguages(List.of("eng"))
                .setWomenOnly(true)
                .setAcceptsMinors(false)
                .setAcceptsWomenWithChildren(true)
                .setKeys(published)
                .build();
        return OrganisationKeyRotated.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now())
                .setOrganisation(snapshot)
                .setPublished(published)
                .build();
    }

    public static PublicKeyRef keyRef(String kid, KeyUse use, String thumbprint) {
        return PublicKeyRef.newBuilder()
                .setKid(kid)
                .setUse(use)
                .setNotBefore(now())
                .setThumbprint(thumbprint)
                .build();
    }
}
