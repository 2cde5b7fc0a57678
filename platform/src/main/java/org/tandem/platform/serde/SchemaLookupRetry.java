package org.tandem.platform.serde;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import org.tandem.platform.retry.RetryForever;

/**
 * Retries a record whose value could not be deserialized because the schema registry was away (unreachable, too
 * slow, or answering 5xx): the Kafka polling thread waits and tries the same record again, with a growing pause,
 * until the lookup succeeds. The record is never skipped (a skipped event is a lost effect), and the consumer stays
 * alive. Any other failure (an unknown schema id, bytes that are not Avro) fails the channel as before, and the
 * record stays uncommitted. Every Kafka channel uses it through the connector's
 * {@code value-deserialization-failure-handler}.
 */
@ApplicationScoped
@Unremovable
@Identifier(SchemaLookupRetry.NAME)
public class SchemaLookupRetry implements DeserializationFailureHandler<Object> {

    public static final String NAME = "schema-lookup-retry";
    private static final Logger LOG = Logger.getLogger(SchemaLookupRetry.class);

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "tandem.schema-registry.retry.first-backoff", defaultValue = "PT0.5S")
    Duration firstBackoff;

    @ConfigProperty(name = "tandem.schema-registry.retry.max-backoff", defaultValue = "PT30S")
    Duration maxBackoff;

    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    @Override
    public Object decorateDeserialization(
            Uni<Object> deserialization,
            String topic,
            boolean isKey,
            String deserializer,
            byte[] data,
            Headers headers) {
        // each subscription runs the deserializer again, lookup included
        return guards.computeIfAbsent(topic, this::guard)
                .get(() -> deserialization.await().indefinitely(), Object.class);
    }

    /** Retries transient lookup failures for ever, with exponential back-off; anything else fails at once. */
    private Guard guard(String topic) {
        return RetryForever.guard(firstBackoff, maxBackoff, SchemaRegistryClients::isTransient, e -> {
            meters.counter("tandem.messaging.schema.lookup.retries", "topic", topic)
                    .increment();
            LOG.warnf("schema lookup for a record of %s failed, retrying: %s", topic, causes(e));
        });
    }

    /** The exception classes of the chain, without messages (which could quote data). */
    static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            sb.append(sb.isEmpty() ? "" : " <- ").append(t.getClass().getName());
        }
        return sb.toString();
    }
}
