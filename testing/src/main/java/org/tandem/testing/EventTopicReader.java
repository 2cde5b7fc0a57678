package org.tandem.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.tandem.events.EventRecords;

/**
 * Reads an event topic of the real Kafka broker through the real schema registry, as a consumer
 * service would, so that tests see exactly what was published.
 */
public final class EventTopicReader implements AutoCloseable {

    private final KafkaConsumer<String, Object> consumer;

    private final List<ConsumerRecord<String, SpecificRecord>> seen = new ArrayList<>();

    /** A reader that starts at the beginning of {@code topic}. */
    public EventTopicReader(String topic) {
        var e = TestInfrastructure.endpoints();
        Map<String, Object> config = e.kafkaAdminClient(); // TLS and SCRAM as the stack's admin
        config.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                AvroKafkaDeserializer.class.getName(),
                "apicurio.registry.url",
                e.schemaRegistryUrl(),
                "apicurio.registry.use-specific-avro-reader",
                false));
        consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(topic));
    }

    /** Waits for {@code count} records of {@code type} that match, and returns them in topic order per partition. */
    public <T extends SpecificRecord> List<ConsumerRecord<String, T>> await(
            Class<T> type, Predicate<T> match, int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<ConsumerRecord<String, T>> matching = matching(type, match);
            if (matching.size() >= count) {
                return matching;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("expected " + count + " " + type.getSimpleName() + " records within " + timeout
                        + ", found " + matching.size() + " among " + seen.size() + " records");
            }
            poll();
        }
    }

    /** Reads whatever arrives for {@code duration}: to see that nothing more came. */
    public void readFor(Duration duration) {
        Instant until = Instant.now().plus(duration);
        while (Instant.now().isBefore(until)) {
            poll();
        }
    }

    private void poll() {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
            seen.add(new ConsumerRecord<>(
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    r.timestamp(),
                    r.timestampType(),
                    r.serializedKeySize(),
                    r.serializedValueSize(),
                    r.key(),
                    EventRecords.specific(r.value()),
                    r.headers(),
                    r.leaderEpoch()));
        }
    }

    public <T extends SpecificRecord> T awaitOne(Class<T> type, Predicate<T> match, Duration timeout) {
        return await(type, match, 1, timeout).get(0).value();
    }

    /** Everything read so far. */
    public List<ConsumerRecord<String, SpecificRecord>> seen() {
        return List.copyOf(seen);
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> List<ConsumerRecord<String, T>> matching(Class<T> type, Predicate<T> match) {
        List<ConsumerRecord<String, T>> out = new ArrayList<>();
        for (var r : seen) {
            if (type.isInstance(r.value()) && match.test((T) r.value())) {
                out.add((ConsumerRecord<String, T>) (ConsumerRecord<String, ?>) r);
            }
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
