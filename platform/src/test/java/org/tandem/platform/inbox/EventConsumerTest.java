package org.tandem.platform.inbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import org.tandem.events.referral.ReferralAccepted;
import org.tandem.events.referral.ReferralDeclined;
import org.tandem.events.referral.ReferralRef;
import org.tandem.events.referral.ReferralStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The consumer template's steps (decode, inbox, apply) with an in-memory inbox: the transaction and the
 * processed_event table are covered by the services' consumer tests against PostgreSQL and Kafka.
 */
class EventConsumerTest {

    /** A fake inbox: the set of (consumer, event id) pairs it has seen. */
    static final class FakeInbox implements EventConsumer.Deliveries {
        final Set<String> seen = new HashSet<>();

        @Override
        public boolean firstDelivery(String consumer, String eventId) {
            return seen.add(consumer + "/" + eventId);
        }
    }

    static ReferralRef ref() {
        return ReferralRef.newBuilder()
                .setReferralId(UUID.randomUUID().toString())
                .setVersion(1)
                .setStatus(ReferralStatus.ACCEPTED)
                .setSenderOrganisationId(UUID.randomUUID().toString())
                .setReceiverOrganisationId(UUID.randomUUID().toString())
                .setSenderCountry("DE")
                .setReceiverCountry("IT")
                .build();
    }

    static ReferralAccepted accepted(String eventId) {
        return ReferralAccepted.newBuilder()
                .setEventId(eventId)
                .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
                .setReferral(ref())
                .build();
    }

    static ReferralDeclined declined() {
        return ReferralDeclined.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
                .setReferral(ref())
                .setReason(org.tandem.events.referral.DeclineReason.values()[0])
                .build();
    }

    /** The event as the Apicurio deserializer hands it over: a generic record. */
    static GenericRecord generic(SpecificRecord event) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(
                        event.getSchema(), ((org.apache.avro.specific.SpecificRecordBase) event).getSpecificData())
                .write(event, encoder);
        encoder.flush();
        var model = new GenericData();
        model.addLogicalTypeConversion(new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
        return new GenericDatumReader<GenericRecord>(event.getSchema(), event.getSchema(), model)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    @Test
    void an_event_is_decoded_recorded_and_applied_once_however_often_it_is_delivered() throws Exception {
        var inbox = new FakeInbox();
        List<ReferralAccepted> applied = new ArrayList<>();
        var event = accepted(UUID.randomUUID().toString());

        assertThat(EventConsumer.applyOnce(inbox, "c", generic(event), ReferralAccepted.class, applied::add))
                .isTrue();
        assertThat(EventConsumer.applyOnce(inbox, "c", generic(event), ReferralAccepted.class, applied::add))
                .isFalse();
        assertThat(EventConsumer.applyOnce(inbox, "c", event, ReferralAccepted.class, applied::add))
                .isFalse();

        assertThat(applied).containsExactly(event);
        assertThat(inbox.seen).containsExactly("c/" + event.getEventId());
    }

    @Test
    void each_consumer_applies_an_event_for_itself() {
        var inbox = new FakeInbox();
        List<SpecificRecord> applied = new ArrayList<>();
        var event = accepted(UUID.randomUUID().toString());

        assertThat(EventConsumer.applyOnce(inbox, "a", event, SpecificRecord.class, applied::add))
                .isTrue();
        assertThat(EventConsumer.applyOnce(inbox, "b", event, SpecificRecord.class, applied::add))
                .isTrue();
        assertThat(applied).hasSize(2);
    }

    @Test
    void a_tombstone_and_a_type_the_consumer_does_not_take_are_skipped_and_not_recorded() {
        var inbox = new FakeInbox();
        List<ReferralAccepted> applied = new ArrayList<>();
        var declined = declined();

        assertThat(EventConsumer.applyOnce(inbox, "c", null, ReferralAccepted.class, applied::add))
                .isFalse();
        assertThat(EventConsumer.applyOnce(inbox, "c", declined, ReferralAccepted.class, applied::add))
                .isFalse();
        assertThat(applied).isEmpty();
        assertThat(inbox.seen).isEmpty();
    }

    @Test
    void an_effect_that_fails_is_not_swallowed_so_that_its_transaction_rolls_back() {
        var inbox = new FakeInbox();
        var event = accepted(UUID.randomUUID().toString());
        assertThatThrownBy(() -> EventConsumer.applyOnce(inbox, "c", event, ReferralAccepted.class, e -> {
                    throw new IllegalStateException("database down");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("database down");
    }

    @Test
    void a_value_that_is_not_an_avro_record_is_refused_rather_than_skipped() {
        assertThatThrownBy(
                        () -> EventConsumer.applyOnce(new FakeInbox(), "c", "not avro", SpecificRecord.class, e -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_known_event_of_another_type_is_passed_over_from_its_schema_name_before_any_decoding() throws Exception {
        var declined = declined();
        var accepted = accepted(UUID.randomUUID().toString());

        assertThat(EventConsumer.mayTake(ReferralAccepted.class, generic(declined)))
                .isFalse();
        assertThat(EventConsumer.mayTake(ReferralAccepted.class, declined)).isFalse();
        assertThat(EventConsumer.mayTake(ReferralAccepted.class, null)).isFalse();
        assertThat(EventConsumer.mayTake(ReferralAccepted.class, generic(accepted)))
                .isTrue();
        assertThat(EventConsumer.mayTake(SpecificRecord.class, generic(declined)))
                .isTrue();
    }

    @Test
    void what_cannot_be_judged_from_its_name_goes_on_to_fail_loudly() {
        var unknown = new GenericData.Record(org.apache.avro.SchemaBuilder.record("org.example.Unknown")
                .fields()
                .requiredString("x")
                .endRecord());
        unknown.put("x", "y");
        assertThat(EventConsumer.mayTake(ReferralAccepted.class, unknown)).isTrue();
        assertThat(EventConsumer.mayTake(ReferralAccepted.class, "not avro")).isTrue();
    }
}
