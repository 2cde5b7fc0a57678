package org.tandem.notification.alert;

/** What an alert is about. */
public enum AlertKind {
    /** To coordinators: a referral missed a response deadline. */
    REFERRAL_ESCALATED("Escalation: a referral missed its response deadline"),
    /** To coordinators: an organisation applied for membership. */
    MEMBERSHIP_APPLICATION("Membership application waiting for a decision"),
    /** To coordinators: an organisation's webhook endpoint keeps failing. */
    DELIVERY_FAILING("A partner's webhook endpoint keeps failing"),
    /** To the endpoint's organisation: a delivery failed every attempt and went to the dead letters. */
    DELIVERY_DEAD_LETTERED("A webhook delivery failed every attempt"),
    /**
     * To the organisation: new public keys were published for it. If it did not publish them, someone else could
     * read the case files sent to it from now on (docs/security.md, "Key substitution").
     */
    KEYS_PUBLISHED("New public keys were published for your organisation: check that you published them"),
    /**
     * To coordinators: a service's audit chain no longer matches its last anchor (changed, cut or replaced entries;
     * docs/privacy.md, "Audit trust model").
     */
    AUDIT_CHAIN_BROKEN("A service's audit trail does not verify against its anchor");

    private final String subject;

    AlertKind(String subject) {
        this.subject = subject;
    }

    /** The e-mail subject: fixed text, never data. */
    public String subject() {
        return subject;
    }
}
