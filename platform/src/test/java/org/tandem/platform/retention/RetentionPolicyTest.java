package org.tandem.platform.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Period;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.tandem.events.TopicRetention;
import org.tandem.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The retention policy: its defaults are valid, a policy that is not valid is refused with a message naming
 * every wrong property (the service then refuses to start), and the Kafka manifests carry the policy's topic
 * periods (docs/retention.md).
 */
class RetentionPolicyTest {

    static RetentionPolicy policy(Map<String, String> set) {
        return RetentionPolicy.of(name -> Optional.ofNullable(set.get(name)));
    }

    @Test
    void the_defaults_are_valid_and_give_each_kind_its_documented_period() {
        RetentionPolicy p = RetentionPolicy.defaults();
        for (RetentionKind kind : RetentionKind.values()) {
            assertThat(p.period(kind)).as(kind.property()).isEqualTo(Period.parse(kind.defaultPeriod()));
        }
        assertThat(p.period(RetentionKind.AUDIT_LOG)).isEqualTo(Period.ofYears(6));
        assertThat(RetentionKind.AUDIT_LOG.property()).isEqualTo("tandem.retention.audit-log");
        assertThat(p.cutoff(RetentionKind.REFERRAL_PERSONAL_DATA, Instant.parse("2041-03-01T00:00:00Z")))
                .isEqualTo(Instant.parse("2040-03-01T00:00:00Z"));
        assertThat(p.cutoff(RetentionKind.CASE_FILE_CONSENT_EXPIRED, Instant.parse("2041-03-01T00:00:00Z")))
                .as("P0D: at the expiry itself")
                .isEqualTo(Instant.parse("2041-03-01T00:00:00Z"));
    }

    @Test
    void a_network_sets_its_own_periods() {
        RetentionPolicy p =
                policy(Map.of("tandem.retention.webhook-deliveries", "P7D", "tandem.retention.consent-record", "P10Y"));
        assertThat(p.period(RetentionKind.WEBHOOK_DELIVERIES)).isEqualTo(Period.ofDays(7));
        assertThat(p.period(RetentionKind.CONSENT_RECORD)).isEqualTo(Period.ofYears(10));
    }

    @Test
    void a_policy_that_is_not_valid_is_refused_naming_every_wrong_property() {
        assertThatThrownBy(() -> policy(Map.of(
                        "tandem.retention.alerts", "90 days",
                        "tandem.retention.audit-log", "P-1Y",
                        "tandem.retention.webhook-deliveries", "P0D",
                        "tandem.retention.read-models", "P31Y",
                        "tandem.retention.kafka.referrals", "P1M")))
                .isInstanceOf(RetentionPolicy.InvalidRetentionPolicy.class)
                .hasMessageStartingWith("Refusing to start: the retention policy is not valid")
                .hasMessageContaining("tandem.retention.alerts must be an ISO-8601 period")
                .hasMessageContaining("tandem.retention.audit-log must not be negative")
                .hasMessageContaining("tandem.retention.webhook-deliveries must be longer than zero")
                .hasMessageContaining("tandem.retention.read-models must be at most P30Y")
                .hasMessageContaining(
                        "tandem.retention.kafka.referrals as a topic's retention must be a positive period of days")
                .satisfies(e -> assertThat(((RetentionPolicy.InvalidRetentionPolicy) e).problems())
                        .hasSize(5));
    }

    @Test
    void periods_that_contradict_each_other_are_refused() {
        assertThatThrownBy(() -> policy(Map.of("tandem.retention.case-file-completed", "P2Y")))
                .hasMessageContaining(
                        "tandem.retention.case-file-completed (P2Y) must not be longer than tandem.retention.referral-personal-data");
        assertThatThrownBy(() -> policy(Map.of("tandem.retention.consent-record", "P6M")))
                .hasMessageContaining(
                        "tandem.retention.referral-personal-data (P1Y) must not be longer than tandem.retention.consent-record");
    }

    /** The Kubernetes manifests (kafka-topics.yaml) set each topic's retention.ms from the policy's default. */
    @Test
    void the_kafka_manifests_carry_the_policy_defaults() throws IOException {
        String manifest = Files.readString(repository().resolve("deploy/kubernetes/kafka-topics.yaml"));
        assertThat(retentionMs(manifest, Topics.REFERRALS))
                .isEqualTo(TopicRetention.millis(RetentionKind.KAFKA_REFERRALS.defaultPeriod()))
                .isEqualTo(14L * 24 * 3600 * 1000);
        assertThat(retentionMs(manifest, Topics.ORGANISATIONS))
                .as("compacted: the latest record per organisation stays")
                .isNull();
    }

    static Long retentionMs(String manifest, String topic) {
        int at = manifest.indexOf("name: " + topic);
        assertThat(at).as("the manifest has a KafkaTopic " + topic).isNotNegative();
        int end = manifest.indexOf("\n---", at);
        String block = manifest.substring(at, end < 0 ? manifest.length() : end);
        Matcher m = Pattern.compile("retention\\.ms:\\s*\"?(\\d+)\"?").matcher(block);
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("deploy/kubernetes/kafka.yaml"))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("the repository root above " + Path.of("").toAbsolutePath())
                .isNotNull();
        return dir;
    }
}
