package org.tandem.platform.kafka;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.common.annotation.Identifier;

/**
 * The one place where a service's Kafka clients get their address and security settings (docs/architecture.md,
 * "Kafka security"). Quarkus collects every {@code kafka.*} setting of the service (from
 * {@code application.properties} or environment variables such as {@code KAFKA_SASL_JAAS_CONFIG}) into the
 * {@code default-kafka-broker} map, which SmallRye Reactive Messaging gives every channel. A client that a service
 * builds by hand (the outbox relay's producer, a rebuild consumer, an admin client) takes its
 * {@code bootstrap.servers}, {@code security.protocol}, {@code sasl.*} and {@code ssl.*} from the same map through
 * {@link #forClient()}, so that it cannot connect differently from the channels.
 */
@ApplicationScoped
public class KafkaClientSettings {

    /** The name of Quarkus's bean with the {@code kafka.*} settings, without the prefix. */
    public static final String DEFAULT_KAFKA_BROKER = "default-kafka-broker";

    @Inject
    @Identifier(DEFAULT_KAFKA_BROKER)
    Map<String, Object> kafkaConfig;

    /** A new, modifiable map with the address and security settings; the caller adds its own settings. */
    public Map<String, Object> forClient() {
        return select(kafkaConfig);
    }

    /**
     * The settings of {@code kafkaConfig} that decide where and how a client connects: {@code bootstrap.servers},
     * {@code security.protocol}, {@code sasl.*}, {@code ssl.*} (and Quarkus's TLS registry name, which picks its
     * SSL engine). Blank values are left out, as if not set.
     */
    public static Map<String, Object> select(Map<String, ?> kafkaConfig) {
        Map<String, Object> out = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (value != null && !value.toString().isBlank() && connects(key)) {
                out.put(key, value);
            }
        });
        return out;
    }

    static boolean connects(String key) {
        return key.equals("bootstrap.servers")
                || key.equals("security.protocol")
                || key.startsWith("sasl.")
                || key.startsWith("ssl.")
                || key.equals("tls-configuration-name");
    }
}
