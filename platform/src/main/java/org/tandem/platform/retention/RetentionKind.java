package org.tandem.platform.retention;

import org.tandem.events.TopicRetention;

/**
 * Every kind of record Tandem keeps for a limited time, with its configuration property
 * ({@code tandem.retention.<property>}, an ISO-8601 period) and its default. The reasons for the defaults are
 * in docs/retention.md; a network sets its own periods in configuration.
 */
public enum RetentionKind {

    /** The hub's copy of a case file, from the referral's completion until its data key is destroyed. */
    CASE_FILE_COMPLETED("case-file-completed", "P30D"),
    /** The hub's copy of a case file, from the expiry of the consent until its data key is destroyed. */
    CASE_FILE_CONSENT_EXPIRED("case-file-consent-expired", "P0D"),
    /** The summary, the notes and the consent's detail of a closed referral, from its closure. */
    REFERRAL_PERSONAL_DATA("referral-personal-data", "P1Y"),
    /** The consent record kept as proof of a lawful transfer, from the referral's closure. */
    CONSENT_RECORD("consent-record", "P6Y"),
    /** A receiver's signed deletion receipt, from its receipt. */
    DELETION_RECEIPTS("deletion-receipts", "P6Y"),
    /** A webhook delivery that is delivered or dead-lettered, and its attempts, from its final state. */
    WEBHOOK_DELIVERIES("webhook-deliveries", "P30D"),
    /** An alert and its e-mail, from its creation. */
    ALERTS("alerts", "P90D"),
    /** The hash-chained audit log; purged after anchoring (docs/retention.md), reported here. */
    AUDIT_LOG("audit-log", "P6Y"),
    /** Rows of the read models that no longer describe anything current (expired keys), from their end. */
    READ_MODELS("read-models", "P90D"),
    /**
     * Database backups, kept by the operator for this long. A hub key that no live data key uses any more is
     * destroyed only after it: until then a backup may hold data keys wrapped with it (docs/retention.md).
     */
    BACKUPS("backups", "P35D"),
    /** The records of the referrals topic, enforced by the broker ({@code retention.ms}). */
    KAFKA_REFERRALS("kafka.referrals", TopicRetention.REFERRALS);

    /** The prefix of every retention property. */
    public static final String PREFIX = "tandem.retention.";

    private final String property;
    private final String defaultPeriod;

    RetentionKind(String property, String defaultPeriod) {
        this.property = property;
        this.defaultPeriod = defaultPeriod;
    }

    /** The full configuration property, e.g. {@code tandem.retention.case-file-completed}. */
    public String property() {
        return PREFIX + property;
    }

    /** The name in the report: the property without its prefix. */
    public String reportName() {
        return property;
    }

    /** The network default, an ISO-8601 period. */
    public String defaultPeriod() {
        return defaultPeriod;
    }

    /** Whether this kind is a Kafka topic, whose period must be whole days for {@code retention.ms}. */
    public boolean isTopic() {
        return property.startsWith("kafka.");
    }
}
