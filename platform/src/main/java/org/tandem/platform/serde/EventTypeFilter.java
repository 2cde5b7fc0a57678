package org.tandem.platform.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A value deserialiser for a consumer that takes a few of the event types on its topic: a record whose
 * {@value #HEADER} header (written by the outbox relay: the event's Avro full name, never data) names a type the
 * consumer does not take is passed over as a null value, without being decoded; every other record is decoded by
 * the Apicurio Avro deserialiser, as before. A record without the header (written before the relay set it) is
 * decoded. The consumer then ignores the null as it ignores a tombstone ({@code EventConsumer}).
 *
 * <p>Configured on a channel with {@code value.deserializer} and {@value #TYPES} (the Avro full names taken,
 * comma-separated); every other setting goes to the Avro deserialiser. Records passed over are counted in
 * {@code tandem.messaging.records.passed.over} per topic.
 */
public class EventTypeFilter implements Deserializer<Object> {

    /** The record header that carries the event's Avro full name. */
    public static final String HEADER = "tandem-event-type";

    /** The channel setting: the Avro full names of the event types the consumer takes. */
    public static final String TYPES = "tandem.event-types";

    private final Deserializer<Object> avro;
    private final Map<String, Counter> passedOver = new ConcurrentHashMap<>();
    private Set<String> taken = Set.of();

    public EventTypeFilter() {
        this(new AvroKafkaDeserializer<>());
    }

    /** With another deserialiser for the records taken; for tests. */
    EventTypeFilter(Deserializer<Object> avro) {
        this.avro = avro;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object names = configs.get(TYPES);
        taken = names == null
                ? Set.of()
                : Arrays.stream(names.toString().split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
        if (taken.isEmpty()) {
            throw new ConfigException(TYPES, names, "names no event type: list the Avro full names the consumer takes");
        }
        avro.configure(configs, isKey);
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        return avro.deserialize(topic, data);
    }

    @Override
    public Object deserialize(String topic, Headers headers, byte[] data) {
        Header type = headers == null ? null : headers.lastHeader(HEADER);
        if (type != null
                && type.value() != null
                && !taken.contains(new String(type.value(), StandardCharsets.US_ASCII))) {
            passedOver
                    .computeIfAbsent(topic, t -> Metrics.counter("tandem.messaging.records.passed.over", "topic", t))
                    .increment();
            return null;
        }
        return avro.deserialize(topic, headers, data);
    }

    @Override
    public void close() {
        avro.close();
    }
}
