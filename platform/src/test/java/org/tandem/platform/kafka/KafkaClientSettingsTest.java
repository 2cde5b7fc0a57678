package org.tandem.platform.kafka;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hand-built Kafka client takes from the service's {@code kafka.*} settings. That the outbox relay and the
 * rebuild consumer really connect with them is shown on the local stack, whose broker takes nothing but TLS with
 * SCRAM (referral-service's and notification-service's Kafka tests).
 */
class KafkaClientSettingsTest {

    @Test
    void takes_the_address_and_every_security_setting_and_nothing_else() {
        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", "kafka.tandem.invalid:9093");
        kafka.put("security.protocol", "SASL_SSL");
        kafka.put("sasl.mechanism", "SCRAM-SHA-512");
        kafka.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";");
        kafka.put("ssl.truststore.location", "/etc/kafka/ca.p12");
        kafka.put("ssl.truststore.type", "PKCS12");
        kafka.put("ssl.truststore.password", "");
        kafka.put("tls-configuration-name", "kafka");
        kafka.put("group.id", "referral-service"); // Quarkus adds the application name; a hand-built client has its own
        kafka.put("auto.offset.reset", "earliest");
        kafka.put("ssl", "not a Kafka setting");

        assertThat(KafkaClientSettings.select(kafka))
                .containsOnlyKeys(
                        "bootstrap.servers",
                        "security.protocol",
                        "sasl.mechanism",
                        "sasl.jaas.config",
                        "ssl.truststore.location",
                        "ssl.truststore.type",
                        "tls-configuration-name")
                .containsEntry("sasl.jaas.config", kafka.get("sasl.jaas.config"));
    }

    @Test
    void the_result_is_the_callers_own() {
        Map<String, Object> kafka = Map.of("bootstrap.servers", "localhost:9092");
        Map<String, Object> mine = KafkaClientSettings.select(kafka);
        mine.put("client.id", "outbox-relay");
        assertThat(KafkaClientSettings.select(kafka)).containsOnlyKeys("bootstrap.servers");
    }
}
