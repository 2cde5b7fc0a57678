package org.tandem.referral.messaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.tandem.devstack.Infrastructure;
import org.tandem.events.Topics;
import org.tandem.events.common.ServiceCode;
import org.tandem.events.registry.MembershipStatus;
import org.tandem.events.registry.OrganisationApproved;
import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.platform.serde.TimeLimitedSchemaResolver;
import org.tandem.referral.support.Referrals;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.Fixtures;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestInfrastructure;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The schema registry goes away while the organisations consumer meets a record whose schema it has never seen:
 * the consumer waits and retries the same record, and once the registry is back the event is applied, once, and
 * the consumer goes on with the next records.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class SchemaRegistryOutageTest {

    private static final String RETRIES = "tandem.messaging.schema.lookup.retries";

    @Inject
    MeterRegistry meters;

    @Inject
    EntityManager em;

    @Test
    void an_event_whose_schema_lookup_fails_while_the_registry_is_down_is_applied_once_after_it_returns()
            throws Exception {
        KeycloakRealm realm = KeycloakRealm.get();
        TestOrganisation sender = realm.createOrganisation("CY");
        TestOrganisation receiver = realm.createOrganisation("DE");
        TestOrganisation later = realm.createOrganisation("IE");
        String eventId = UUID.randomUUID().toString();
        byte[] value;
        try (var writer = new EventTopicWriter()) {
            writer.approvedOrganisation(sender, List.of(ServiceCode.LEGAL_ASSISTANCE));
            // registered now, while the registry runs; the consumer has never seen this schema content
            value = serialisedWithUnseenSchema(approved(receiver, eventId));
        }
        double retriesBefore = retries();

        TestInfrastructure.stop(Infrastructure.Part.APICURIO);
        try {
            publishRaw(receiver.id().toString(), value);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> retries() > retriesBefore);
        } finally {
            TestInfrastructure.startStopped();
        }

        awaitBothKnown(sender, receiver, Duration.ofSeconds(90));
        assertThat(timesProcessed(eventId)).as("the event was applied once").isEqualTo(1);

        // the consumer goes on: a later event is applied too
        try (var writer = new EventTopicWriter()) {
            writer.approvedOrganisation(later, List.of(ServiceCode.SAFE_ACCOMMODATION));
        }
        awaitBothKnown(sender, later, Duration.ofSeconds(60));
    }

    /**
     * A schema the consumer already holds is decoded from its cache however long the registry is away: longer than
     * the serde's default cache lifetime of 30 s, after which the consumer used to ask the registry again and wait
     * for it to return.
     */
    @Test
    void a_schema_the_consumer_holds_needs_no_registry_while_it_is_away_longer_than_30_s() throws Exception {
        // as in production, traffic comes once the service says ready (which fills the consumers' schema caches)
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().when().get("/q/health/ready").statusCode() == 200);
        KeycloakRealm realm = KeycloakRealm.get();
        TestOrganisation sender = realm.createOrganisation("CY");
        TestOrganisation first = realm.createOrganisation("IE");
        TestOrganisation receiver = realm.createOrganisation("DE");
        byte[] value;
        try (var writer = new EventTopicWriter()) {
            writer.approvedOrganisation(sender, List.of(ServiceCode.LEGAL_ASSISTANCE));
            writer.approvedOrganisation(first, List.of(ServiceCode.SAFE_ACCOMMODATION));
            value = serialised(approved(receiver, UUID.randomUUID().toString()));
        }
        // the consumer is past its first records (both organisations are known); it holds the production schema of
        // OrganisationApproved, which the record below carries, since its readiness
        awaitBothKnown(sender, first, Duration.ofSeconds(60));
        // the record carries its schema's content id after a magic byte (the serde's default 4-byte id)
        long contentId = java.nio.ByteBuffer.wrap(value, 1, 4).getInt();
        assertThat(TimeLimitedSchemaResolver.configured().stream()
                        .filter(r -> r.holdsContentId(contentId))
                        .count())
                .as("resolvers holding content id %d", contentId)
                .isPositive();
        double retriesBefore = retries();

        TestInfrastructure.stop(Infrastructure.Part.APICURIO);
        try {
            Thread.sleep(Duration.ofSeconds(35)); // past the serde's default cache lifetime
            publishRaw(receiver.id().toString(), value);
            awaitBothKnown(sender, receiver, Duration.ofSeconds(30));
            assertThat(retries()).as("schema lookups retried").isEqualTo(retriesBefore);
        } finally {
            TestInfrastructure.startStopped();
        }
    }

    /** The event in the registry's wire format, with its production schema (the version the services use). */
    private static byte[] serialised(OrganisationApproved event) {
        Map<String, Object> config = new HashMap<>();
        config.put("apicurio.registry.url", TestInfrastructure.endpoints().schemaRegistryUrl());
        config.put(
                "apicurio.registry.artifact-resolver-strategy",
                "io.apicurio.registry.serde.avro.strategy.RecordIdStrategy");
        // the registry holds each event schema whole, nested types inline (as the relay looks them up)
        config.put(SchemaResolverConfig.DEREFERENCE_SCHEMA, true);
        try (var serializer = new AvroKafkaSerializer<OrganisationApproved>()) {
            serializer.configure(config, false);
            return serializer.serialize(Topics.ORGANISATIONS, event);
        }
    }

    /** Waits until referral-service takes a referral from {@code sender} to {@code receiver}: it knows both. */
    private static void awaitBothKnown(TestOrganisation sender, TestOrganisation receiver, Duration within) {
        String body = Fixtures.referral(receiver.id().toString());
        await().atMost(within)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> Referrals.create(sender.caseworkerToken(), body)
                                .extract()
                                .statusCode()
                        == 201);
    }

    private double retries() {
        Counter c = meters.find(RETRIES).tag("topic", Topics.ORGANISATIONS).counter();
        return c == null ? 0 : c.count();
    }

    private long timesProcessed(String eventId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery(
                                        "select count(*) from processed_event where consumer = :c and event_id = :e")
                                .setParameter("c", OrganisationEventsConsumer.CONSUMER)
                                .setParameter("e", eventId)
                                .getSingleResult())
                        .longValue());
    }

    private static OrganisationApproved approved(TestOrganisation org, String eventId) {
        var snapshot = OrganisationSnapshot.newBuilder()
                .setOrganisationId(org.id().toString())
                .setVersion(1)
                .setCountry(org.country())
                .setMembershipStatus(MembershipStatus.APPROVED)
                .setServices(List.of(ServiceCode.SAFE_ACCOMMODATION, ServiceCode.LEGAL_ASSISTANCE))
                .setLanguages(List.of("eng"))
                .setWomenOnly(true)
                .setAcceptsMinors(false)
                .setAcceptsWomenWithChildren(true)
                .setCapacityAvailable(2)
                .setKeys(List.of())
                .build();
        return OrganisationApproved.newBuilder()
                .setEventId(eventId)
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .setOrganisation(snapshot)
                .build();
    }

    /**
     * The event in the registry's wire format, written with a copy of its schema that differs only in its
     * documentation: new content with a new id, registered in a group of its own, that no consumer has cached.
     */
    private static byte[] serialisedWithUnseenSchema(OrganisationApproved event) throws IOException {
        String json = OrganisationApproved.getClassSchema().toString();
        Schema variant = new Schema.Parser()
                .parse(json.substring(0, json.lastIndexOf('}')) + ",\"doc\":\"schema registry outage test "
                        + UUID.randomUUID() + "\"}");
        var out = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        var model = new SpecificData(OrganisationApproved.class.getClassLoader());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        new SpecificDatumWriter<OrganisationApproved>(OrganisationApproved.getClassSchema(), model)
                .write(event, encoder);
        encoder.flush();
        GenericRecord generic = new GenericDatumReader<GenericRecord>(OrganisationApproved.getClassSchema(), variant)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        Map<String, Object> config = new HashMap<>();
        config.put("apicurio.registry.url", TestInfrastructure.endpoints().schemaRegistryUrl());
        config.put("apicurio.registry.auto-register", true);
        config.put("apicurio.registry.auto-register.if-exists", "FIND_OR_CREATE_VERSION");
        config.put(
                "apicurio.registry.artifact-resolver-strategy",
                "io.apicurio.registry.serde.avro.strategy.RecordIdStrategy");
        config.put("apicurio.registry.artifact.group-id", "tandem.tests.registry-outage");
        try (var serializer = new AvroKafkaSerializer<GenericRecord>()) {
            serializer.configure(config, false);
            return serializer.serialize(Topics.ORGANISATIONS, generic);
        }
    }

    private static void publishRaw(String key, byte[] value) throws Exception {
        Map<String, Object> config = TestInfrastructure.endpoints().kafkaAdminClient();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer =
                new KafkaProducer<String, byte[]>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.ORGANISATIONS, key, value))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
