package org.tandem.notification.messaging;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

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
import org.tandem.platform.inbox.ConsumerTransaction;
import org.tandem.platform.inbox.EventFields;
import org.tandem.platform.inbox.Inbox;
import org.tandem.platform.kafka.KafkaClientSettings;
import org.tandem.platform.serde.SchemaRegistryClients;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * The {@code known_organisation} read model, kept from the registry's compacted organisations topic. Every
 * organisation event carries the whole snapshot with a version, so the newest snapshot wins and an older or
 * repeated one changes nothing; {@link #rebuild()} throws the model away and reads the topic from the start.
 */
@ApplicationScoped
public class OrganisationDirectory {

    public static final String CONSUMER = "notification-service.organisation-directory";
    private static final Logger LOG = Logger.getLogger(OrganisationDirectory.class);

    /** One row of the read model. */
    public record KnownOrganisation(UUID id, String country, String membershipStatus, Integer capacityAvailable,
            List<String> keyIds, long version) {
    }

    @Inject
    EntityManager em;

    @Inject
    Inbox inbox;

    @Inject
    ConsumerTransaction transaction;

    @Inject
    KafkaClientSettings kafka;

    @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url")
    String schemaRegistry;

    @Incoming("organisation-directory")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, Object> record) {
        transaction.run(CONSUMER, () -> apply(record));
    }

    /** The effect of one record; runs in the transaction {@link ConsumerTransaction} opens. */
    void apply(ConsumerRecord<String, Object> record) {
        SpecificRecord event = EventRecords.specific(record.value());
        if (event == null || !inbox.firstDelivery(CONSUMER, EventFields.eventId(event))) {
            return;
        }
        if (EventFields.field(event, "organisation") instanceof OrganisationSnapshot s) {
            apply(s);
        }
    }

    /** Applies a snapshot unless the model already holds the same or a newer version of the organisation. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(OrganisationSnapshot s) {
        em.createNativeQuery("""
                insert into known_organisation (id, country, membership_status, capacity_available, capacity_updated_at,
                                                key_ids, version, updated_at)
                values (:id, :country, :status, :available, :capacityAt, cast(:keys as text[]), :version, now())
                on conflict (id) do update set country = excluded.country, membership_status = excluded.membership_status,
                    capacity_available = excluded.capacity_available, capacity_updated_at = excluded.capacity_updated_at,
                    key_ids = excluded.key_ids, version = excluded.version, updated_at = excluded.updated_at
                where known_organisation.version < excluded.version""")
                .setParameter("id", UUID.fromString(s.getOrganisationId()))
                .setParameter("country", s.getCountry())
                .setParameter("status", s.getMembershipStatus().name())
                .setParameter("available", s.getCapacityAvailable())
                .setParameter("capacityAt", s.getCapacityUpdatedAt() == null ? null : Timestamp.from(s.getCapacityUpdatedAt()))
                .setParameter("keys", "{" + String.join(",", s.getKeys().stream().map(k -> "\"" + k.getKid() + "\"").toList()) + "}")
                .setParameter("version", s.getVersion())
                .executeUpdate();
    }

    @Transactional
    public Optional<KnownOrganisation> find(UUID id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select id, country, membership_status, capacity_available, key_ids, version from known_organisation where id = :id""")
                .setParameter("id", id).getResultList();
        return rows.stream().findFirst().map(r -> new KnownOrganisation((UUID) r[0], ((String) r[1]).strip(), (String) r[2],
                (Integer) r[3], List.of((String[]) r[4]), ((Number) r[5]).longValue()));
    }

    /**
     * Throws the read model away and rebuilds it from the start of the compacted topic, in one transaction:
     * readers see the old model until the new one is complete. Returns the number of records read.
     */
    @Transactional
    public long rebuild() {
        em.createNativeQuery("delete from known_organisation").executeUpdate();
        Map<String, Object> config = new HashMap<>(SchemaRegistryClients.serdeConfig(schemaRegistry));
        config.putAll(kafka.forClient()); // address, TLS and SASL: the same as the channels'
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        config.put("apicurio.registry.use-specific-avro-reader", false);
        long read = 0;
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ORGANISATIONS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
                for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(500))) {
                    read++;
                    SpecificRecord event = EventRecords.specific(r.value());
                    if (event != null && EventFields.field(event, "organisation") instanceof OrganisationSnapshot s) {
                        apply(s);
                    }
                }
            }
        }
        LOG.infof("rebuilt the organisations read model from %d records", read);
        return read;
    }

}
