package org.tandem.platform.outbox;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.tandem.events.EventCatalog;
import org.tandem.platform.kafka.KafkaClientSettings;
import org.tandem.platform.serde.SchemaRegistryClients;

/**
 * The Kafka producer behind the outbox relay: idempotent, {@code acks=all}, Avro values through the
 * Apicurio serde. The serde registers each event schema (and the named types it references) on first use;
 * the registry's global BACKWARD compatibility rule refuses a schema that would break consumers, and the
 * relay then stops with the event unpublished instead of sending something consumers cannot read. Registry calls
 * have connect and read timeouts ({@link SchemaRegistryClients}); a failed one fails the round, which the relay
 * retries.
 */
@ApplicationScoped
public class EventProducer {

    @Inject
    KafkaClientSettings kafka;

    @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url")
    String registryUrl;

    @ConfigProperty(name = "tandem.outbox.auto-register-schemas", defaultValue = "false")
    boolean autoRegister;

    private Producer<String, SpecificRecord> producer;
    private AvroKafkaSerializer<Object> values;

    synchronized Future<RecordMetadata> send(ProducerRecord<String, SpecificRecord> record) {
        return producer().send(record);
    }

    synchronized void flush() {
        producer().flush();
    }

    /** Drops the producer after a failure, so that the next round starts a new idempotent session. */
    synchronized void reset() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
            values = null;
        }
    }

    private Producer<String, SpecificRecord> producer() {
        if (producer == null) {
            Map<String, Object> config = config();
            AvroKafkaSerializer<Object> v = new AvroKafkaSerializer<>();
            v.configure(config, false); // the producer configures only the serialisers it makes itself
            @SuppressWarnings({"unchecked", "rawtypes"})
            org.apache.kafka.common.serialization.Serializer<SpecificRecord> typed =
                    (org.apache.kafka.common.serialization.Serializer) v;
            producer = new KafkaProducer<>(config, new StringSerializer(), typed);
            values = v;
        }
        return producer;
    }

    /**
     * Makes the producer ready before the first event needs it (readiness, docs/operations.md): connects it and
     * fetches each topic's partitions, and has its serialiser look up (or, where the profile allows, register)
     * and cache the schema of every event type of those topics, by serialising a sample of each built from its
     * schema's defaults. The sample is never sent.
     */
    public synchronized void warmUp(List<String> topics) {
        Producer<String, SpecificRecord> p = producer();
        for (String topic : topics) {
            p.partitionsFor(topic);
            for (EventCatalog.Entry e : EventCatalog.all()) {
                if (e.topic().equals(topic)) {
                    values.serialize(topic, new RecordHeaders(), AvroSamples.of(e.schema()));
                }
            }
        }
    }

    Map<String, Object> config() {
        Map<String, Object> c = new HashMap<>(SchemaRegistryClients.serdeConfig(registryUrl));
        c.putAll(kafka.forClient()); // address, TLS and SASL: the same as every channel's
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class.getName());
        c.put("apicurio.registry.auto-register", autoRegister);
        c.put("apicurio.registry.auto-register.if-exists", "FIND_OR_CREATE_VERSION");
        // The registry holds each event schema whole, nested types inline (Schema#toString: the local stack's
        // provisioning and the deployment's registration Job). Without dereferencing, the serialiser would look
        // its schema up as a top-level record with references to separately registered nested types (Stage,
        // OrganisationSnapshot): a content that was never registered, so a service that may not register
        // (production) could never send those events.
        c.put(SchemaResolverConfig.DEREFERENCE_SCHEMA, true);
        return c;
    }

    @PreDestroy
    synchronized void close() {
        reset();
    }
}
