package org.tandem.notification.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import org.tandem.events.EventRecords;
import org.tandem.events.Topics;
import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.platform.inbox.EventConsumer;
import org.tandem.platform.inbox.EventFields;
import org.tandem.platform.kafka.KafkaClientSettings;
import org.tandem.platform.organisations.KnownOrganisations;
import org.tandem.platform.organisations.KnownOrganisations.KnownOrganisation;
import org.tandem.platform.serde.SchemaRegistryClients;

/**
 * The {@code known_organisation} read model ({@link KnownOrganisations}), kept from the registry's compacted
 * organisations topic. Every organisation event carries the whole snapshot with a version, so the newest snapshot
 * wins and an older or repeated one changes nothing; {@link #rebuild()} throws the model away and reads the topic from the start.
 */
@ApplicationScoped
public class OrganisationDirectory {

    public static final String CONSUMER = "notification-service.organisation-directory";
    private static final Logger LOG = Logger.getLogger(OrganisationDirectory.class);

    @Inject
    EventConsumer events;

    @Inject
    KnownOrganisations organisations;

    @Inject
    KafkaClientSettings kafka;

    @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url")
    String schemaRegistry;

    @Incoming("organisation-directory")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, Object> record) {
        events.consume(CONSUMER, record.value(), this::apply);
    }

    /** The effect of one event; runs in the transaction {@link EventConsumer} opens, once per event. */
    void apply(SpecificRecord event) {
        if (EventFields.field(event, "organisation") instanceof OrganisationSnapshot s) {
            organisations.apply(s);
        }
    }

    /** The organisation as the read model knows it. */
    public Optional<KnownOrganisation> find(UUID id) {
        return organisations.find(id);
    }

    /**
     * Throws the read model away and rebuilds it from the start of the compacted topic, in one transaction:
     * readers see the old model until the new one is complete. Returns the number of records read.
     */
    @Transactional
    public long rebuild() {
        organisations.clear();
        Map<String, Object> config = new HashMap<>(SchemaRegistryClients.serdeConfig(schemaRegistry));
        config.putAll(kafka.forClient()); // address, TLS and SASL: the same as the channels'
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        config.put("apicurio.registry.use-specific-avro-reader", false);
        long read = 0;
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.ORGANISATIONS, Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
                for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(500))) {
                    read++;
                    SpecificRecord event = EventRecords.specific(r.value());
                    if (event != null && EventFields.field(event, "organisation") instanceof OrganisationSnapshot s) {
                        organisations.apply(s);
                    }
                }
            }
        }
        LOG.infof("rebuilt the organisations read model from %d records", read);
        return read;
    }
}
