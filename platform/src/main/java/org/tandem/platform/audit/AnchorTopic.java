package org.tandem.platform.audit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The compacted Kafka topic {@code tandem.audit-anchors.v1}: each service's latest signed anchor under its name as the
 * key, and its latest chain report under {@code <service>/chain-broken}. Written directly, not through the outbox,
 * because whoever holds the service's database credentials must not be able to hold it back or alter it there.
 * Values are compact JWS strings (docs/privacy.md, "Audit trust model").
 */
@ApplicationScoped
public class AnchorTopic {

    /** The key suffix of chain reports (a broken or truncated chain). */
    public static final String BROKEN_SUFFIX = "/chain-broken";

    /** Address, TLS and SCRAM login: the same as every other Kafka client of the service. */
    @jakarta.inject.Inject
    org.tandem.platform.kafka.KafkaClientSettings kafka;

    @ConfigProperty(name = "tandem.audit.anchor-topic")
    String topic;

    private KafkaProducer<String, String> producer;

    /** Publishes {@code value} under {@code key} and waits for the brokers' acknowledgement. */
    public synchronized void publish(String key, String value) {
        if (producer == null) {
            Map<String, Object> c = common();
            c.put(ProducerConfig.ACKS_CONFIG, "all");
            c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
            c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            c.put(ProducerConfig.CLIENT_ID_CONFIG, "audit-anchors");
            c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(c);
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(40, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing an audit anchor", e);
        } catch (ExecutionException | TimeoutException e) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
            throw new IllegalStateException("could not publish to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** The newest value under {@code key}, reading the (compacted, small) topic from its start. */
    public Optional<String> latest(String key) {
        Map<String, Object> c = common();
        // no group: the reader assigns the partitions itself and commits nothing, so it needs no group ACL
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                return Optional.empty();
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            String found = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (key.equals(r.key())) {
                        found = r.value(); // one partition per key: the last seen is the newest
                    }
                }
            }
            return Optional.ofNullable(found);
        }
    }

    private Map<String, Object> common() {
        return new HashMap<>(kafka.forClient());
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
