package org.tandem.notification.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * The event types a partner can subscribe to, as they appear in a webhook's {@code type}. Names are
 * stable: integrations switch on them.
 */
public enum WebhookEventType {
    REFERRAL_SUBMITTED("referral.submitted", "org.tandem.events.referral.ReferralSubmitted"),
    REFERRAL_ACKNOWLEDGED("referral.acknowledged", "org.tandem.events.referral.ReferralAcknowledged"),
    REFERRAL_ACCEPTED("referral.accepted", "org.tandem.events.referral.ReferralAccepted"),
    REFERRAL_DECLINED("referral.declined", "org.tandem.events.referral.ReferralDeclined"),
    /** Sent by the test-ping endpoint only. */
    PING("webhook.ping", null);

    private final String wireName;
    private final String avroType;

    WebhookEventType(String wireName, String avroType) {
        this.wireName = wireName;
        this.avroType = avroType;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<WebhookEventType> ofWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static Optional<WebhookEventType> ofAvroType(String fullName) {
        return Arrays.stream(values()).filter(t -> fullName.equals(t.avroType)).findFirst();
    }
}
