package org.tandem.notification.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * The event types an endpoint can subscribe to, as they appear in a webhook's {@code type}. Names are
 * stable: integrations switch on them. Organisation endpoints get events about referrals their
 * organisation is a party to, about their own membership and about keys published for them; network endpoints (coordinators) get
 * escalations, membership changes of every organisation, and alerts about failing endpoints.
 */
public enum WebhookEventType {
    REFERRAL_SUBMITTED("referral.submitted", "org.tandem.events.referral.ReferralSubmitted", true, false),
    REFERRAL_ACKNOWLEDGED("referral.acknowledged", "org.tandem.events.referral.ReferralAcknowledged", true, false),
    REFERRAL_ACCEPTED("referral.accepted", "org.tandem.events.referral.ReferralAccepted", true, false),
    REFERRAL_DECLINED("referral.declined", "org.tandem.events.referral.ReferralDeclined", true, false),
    REFERRAL_CANCELLED("referral.cancelled", "org.tandem.events.referral.ReferralCancelled", true, false),
    REFERRAL_STARTED("referral.started", "org.tandem.events.referral.ReferralStarted", true, false),
    REFERRAL_COMPLETED("referral.completed", "org.tandem.events.referral.ReferralCompleted", true, false),
    REFERRAL_WITHDRAWN("referral.withdrawn", "org.tandem.events.referral.ReferralWithdrawn", true, false),
    REFERRAL_ESCALATED("referral.escalated", "org.tandem.events.referral.ReferralEscalated", true, true),
    /** An organisation applied for membership. */
    ORGANISATION_REGISTERED(
            "organisation.registered", "org.tandem.events.registry.OrganisationRegistered", false, true),
    ORGANISATION_APPROVED("organisation.approved", "org.tandem.events.registry.OrganisationApproved", true, true),
    ORGANISATION_SUSPENDED("organisation.suspended", "org.tandem.events.registry.OrganisationSuspended", true, true),
    /**
     * To the organisation's own endpoints only: new public keys were published for it. A security notice, so
     * that a key it did not publish is noticed (docs/security.md, "Key substitution"): every enabled endpoint
     * of the organisation gets it, whatever types it subscribed to.
     */
    ORGANISATION_KEYS_PUBLISHED(
            "organisation.keys_published", "org.tandem.events.registry.OrganisationKeyRotated", true, false),
    /** To coordinators: an organisation's endpoint keeps failing. */
    ENDPOINT_FAILING("webhook.endpoint_failing", null, false, true),
    /** Sent by the test-ping endpoint only. */
    PING("webhook.ping", null, true, true);

    private final String wireName;
    private final String avroType;
    private final boolean forOrganisations;
    private final boolean forNetwork;

    WebhookEventType(String wireName, String avroType, boolean forOrganisations, boolean forNetwork) {
        this.wireName = wireName;
        this.avroType = avroType;
        this.forOrganisations = forOrganisations;
        this.forNetwork = forNetwork;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether every endpoint of the organisation concerned gets it, subscribed or not (a security notice). */
    public boolean alwaysDelivered() {
        return this == ORGANISATION_KEYS_PUBLISHED;
    }

    /** Whether an endpoint of this scope may subscribe to the type. */
    public boolean availableTo(boolean network) {
        return network ? forNetwork : forOrganisations;
    }

    public static Optional<WebhookEventType> ofWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static Optional<WebhookEventType> ofAvroType(String fullName) {
        return Arrays.stream(values()).filter(t -> fullName.equals(t.avroType)).findFirst();
    }
}
