package org.tandem.events;

/** Kafka topic names. Versioned, so that an incompatible change gets a new topic rather than a broken one. */
public final class Topics {
    /** Compacted; keyed by organisation id; every record carries the full public snapshot. */
    public static final String ORGANISATIONS = "tandem.organisations.v1";
    /** Keyed by referral id, so that the events of one referral stay in order. */
    public static final String REFERRALS = "tandem.referrals.v1";
    /**
     * Compacted; each service's latest signed audit anchor keyed by the service's name, and its latest chain report
     * under {@code <service>/chain-broken} (JSON strings, not Avro; docs/privacy.md, "Audit trust model").
     */
    public static final String AUDIT_ANCHORS = "tandem.audit-anchors.v1";

    private Topics() {}
}
