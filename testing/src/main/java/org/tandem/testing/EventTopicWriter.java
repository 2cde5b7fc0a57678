package org.tandem.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import org.tandem.events.Topics;
import org.tandem.events.common.ServiceCode;
import org.tandem.events.registry.MembershipStatus;
import org.tandem.events.registry.OrganisationApproved;
import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.events.registry.PublicKeyRef;

/**
 * Publishes events to the real Kafka broker through the real schema registry, the way an upstream
 * service would, so that a service can be tested against the events it consumes.
 */
public final class EventTopicWriter implements AutoCloseable {

    /** The relay's header (platform {@code EventTypeFilter.HEADER}, which this module cannot depend on). */
    public static final String EVENT_TYPE_HEADER = "tandem-event-type";

    private final KafkaProducer<String, SpecificRecord> producer;

    public EventTopicWriter() {
        var e = TestInfrastructure.endpoints();
        Map<String, Object> config = e.kafkaAdminClient(); // TLS and SCRAM as the stack's admin
        config.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                AvroKafkaSerializer.class.getName(),
                "apicurio.registry.url",
                e.schemaRegistryUrl(),
                "apicurio.registry.auto-register",
                true,
                "apicurio.registry.auto-register.if-exists",
                "FIND_OR_CREATE_VERSION",
                "apicurio.registry.artifact-resolver-strategy",
                "io.apicurio.registry.serde.avro.strategy.RecordIdStrategy"));
        producer = new KafkaProducer<>(config);
    }

    /** Publishes as the outbox relay does: with the event's type in the {@code tandem-event-type} header. */
    public void publish(String topic, String key, SpecificRecord event) {
        var record = new ProducerRecord<String, SpecificRecord>(topic, key, event);
        record.headers().add(EVENT_TYPE_HEADER, event.getSchema().getFullName().getBytes(StandardCharsets.US_ASCII));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception ex) {
            throw new IllegalStateException("could not publish a test event to " + topic, ex);
        }
    }

    /** Announces an approved organisation on the organisations topic, as registry-service would. */
    public void approvedOrganisation(TestOrganisation org, List<ServiceCode> services) {
        approvedOrganisation(org, services, List.of());
    }

    /** Announces an approved organisation with the ids of the public keys it has published. */
    public void approvedOrganisation(TestOrganisation org, List<ServiceCode> services, List<PublicKeyRef> keys) {
        var snapshot = OrganisationSnapshot.newBuilder()
                .setOrganisationId(org.id().toString())
                .setVersion(1)
                .setCountry(org.country())
                .setMembershipStatus(MembershipStatus.APPROVED)
                .setServices(services)
                .setLanguages(List.of("eng"))
                .setWomenOnly(true)
                .setAcceptsMinors(false)
                .setAcceptsWomenWithChildren(true)
                .setCapacityAvailable(2)
                .setKeys(keys)
                .build();
        publish(
                Topics.ORGANISATIONS,
                org.id().toString(),
                OrganisationApproved.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                        .setOrganisation(snapshot)
                        .build());
    }

    @Override
    public void close() {
        producer.close();
    }
}
