package org.tandem.events;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import org.tandem.events.referral.ReferralAccepted;
import org.tandem.events.referral.ReferralAcknowledged;
import org.tandem.events.referral.ReferralCancelled;
import org.tandem.events.referral.ReferralCompleted;
import org.tandem.events.referral.ReferralDeclined;
import org.tandem.events.referral.ReferralEscalated;
import org.tandem.events.referral.ReferralStarted;
import org.tandem.events.referral.ReferralSubmitted;
import org.tandem.events.referral.ReferralWithdrawn;
import org.tandem.events.registry.OrganisationApproved;
import org.tandem.events.registry.OrganisationCapacityChanged;
import org.tandem.events.registry.OrganisationKeyRotated;
import org.tandem.events.registry.OrganisationRegistered;
import org.tandem.events.registry.OrganisationSuspended;
import org.tandem.events.registry.OrganisationUpdated;

/**
 * Every event type that goes on a topic. The schema registry holds one artifact per entry (record-id
 * strategy: group = namespace, artifact = record name). A build test fails when an event schema exists
 * that is not listed here.
 */
public final class EventCatalog {

    public record Entry(String topic, Class<? extends SpecificRecord> type, Schema schema) {
        public String fullName() {
            return schema.getFullName();
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            entry(Topics.ORGANISATIONS, OrganisationRegistered.class, OrganisationRegistered.getClassSchema()),
            entry(Topics.ORGANISATIONS, OrganisationApproved.class, OrganisationApproved.getClassSchema()),
            entry(Topics.ORGANISATIONS, OrganisationUpdated.class, OrganisationUpdated.getClassSchema()),
            entry(Topics.ORGANISATIONS, OrganisationSuspended.class, OrganisationSuspended.getClassSchema()),
            entry(
                    Topics.ORGANISATIONS,
                    OrganisationCapacityChanged.class,
                    OrganisationCapacityChanged.getClassSchema()),
            entry(Topics.ORGANISATIONS, OrganisationKeyRotated.class, OrganisationKeyRotated.getClassSchema()),
            entry(Topics.REFERRALS, ReferralSubmitted.class, ReferralSubmitted.getClassSchema()),
            entry(Topics.REFERRALS, ReferralAcknowledged.class, ReferralAcknowledged.getClassSchema()),
            entry(Topics.REFERRALS, ReferralAccepted.class, ReferralAccepted.getClassSchema()),
            entry(Topics.REFERRALS, ReferralDeclined.class, ReferralDeclined.getClassSchema()),
            entry(Topics.REFERRALS, ReferralCancelled.class, ReferralCancelled.getClassSchema()),
            entry(Topics.REFERRALS, ReferralStarted.class, ReferralStarted.getClassSchema()),
            entry(Topics.REFERRALS, ReferralCompleted.class, ReferralCompleted.getClassSchema()),
            entry(Topics.REFERRALS, ReferralWithdrawn.class, ReferralWithdrawn.getClassSchema()),
            entry(Topics.REFERRALS, ReferralEscalated.class, ReferralEscalated.getClassSchema()));

    private EventCatalog() {}

    private static Entry entry(String topic, Class<? extends SpecificRecord> type, Schema schema) {
        return new Entry(topic, type, schema);
    }

    public static List<Entry> all() {
        return ENTRIES;
    }

    public static Entry byFullName(String fullName) {
        return ENTRIES.stream()
                .filter(e -> e.fullName().equals(fullName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown event type " + fullName));
    }
}
