package org.tandem.events;

/**
 * How long each delete-policy topic keeps its records, as ISO-8601 periods in days: the defaults of the
 * retention policy's {@code tandem.retention.kafka.*} kinds (docs/retention.md). The local stack
 * (deploy/devstack) creates its topics with them and the Kubernetes manifests carry the same values in
 * {@code retention.ms} (KafkaTopicRetentionTest keeps them equal). The organisations topic is compacted:
 * it keeps the latest record of each organisation, which holds no survivor's data.
 */
public final class TopicRetention {

    /** {@link Topics#REFERRALS}: consumers are idempotent and keep their own state; 14 days covers an outage. */
    public static final String REFERRALS = "P14D";

    private TopicRetention() {}

    /** A period of days or weeks ({@code P14D}, {@code P2W}) in milliseconds, for Kafka's {@code retention.ms}. */
    public static long millis(String period) {
        java.time.Period p = java.time.Period.parse(period);
        if (p.getYears() != 0 || p.getMonths() != 0 || p.isNegative() || p.isZero()) {
            throw new IllegalArgumentException(
                    "a topic's retention must be a positive period of days or weeks, e.g. P14D");
        }
        return java.time.Duration.ofDays(p.getDays()).toMillis();
    }
}
