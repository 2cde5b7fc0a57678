package org.tandem.platform.outbox;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.tandem.events.EventCatalog;
import org.tandem.events.referral.ReferralAccepted;
import org.tandem.events.referral.ReferralRef;
import org.tandem.events.referral.ReferralStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox row of an event, without a database: what the relay later publishes is exactly the event appended.
 * Storing the row with its state change, and the relay, are covered by the services' integration tests.
 */
class OutboxTest {

    static ReferralAccepted event() {
        return ReferralAccepted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.parse("2026-03-01T10:15:30.123Z"))
                .setReferral(ReferralRef.newBuilder()
                        .setReferralId(UUID.randomUUID().toString())
                        .setVersion(3)
                        .setStatus(ReferralStatus.ACCEPTED)
                        .setSenderOrganisationId(UUID.randomUUID().toString())
                        .setReceiverOrganisationId(UUID.randomUUID().toString())
                        .setSenderCountry("DE")
                        .setReceiverCountry("IT")
                        .build())
                .build();
    }

    @Test
    void the_row_carries_the_event_id_type_key_topic_and_time() {
        var event = event();
        Instant at = Instant.parse("2026-03-01T10:15:31Z");
        OutboxEvent row = Outbox.row("tandem.referrals.v1", event.getReferral().getReferralId(), event, at);

        assertThat(row.eventId).isEqualTo(UUID.fromString(event.getEventId()));
        assertThat(row.eventType).isEqualTo("org.tandem.events.referral.ReferralAccepted");
        assertThat(row.topic).isEqualTo("tandem.referrals.v1");
        assertThat(row.messageKey).isEqualTo(event.getReferral().getReferralId());
        assertThat(row.createdAt).isEqualTo(at);
        assertThat(row.publishedAt).isNull();
        assertThat(row.attempts).isZero();
        assertThat(row.id).isNull();
    }

    @Test
    void the_payload_decodes_as_the_relay_decodes_it_to_the_same_event() {
        var event = event();
        OutboxEvent row = Outbox.row("t", "k", event, Instant.EPOCH);

        var entry = EventCatalog.byFullName(row.eventType);
        var decoded = AvroCodec.decode(entry.type(), entry.schema(), row.payload);

        assertThat(decoded).isEqualTo(event);
        assertThat(((ReferralAccepted) decoded).getOccurredAt()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123Z"));
    }

    @Test
    void two_events_get_two_rows_with_their_own_ids() {
        var a = Outbox.row("t", "k", event(), Instant.EPOCH);
        var b = Outbox.row("t", "k", event(), Instant.EPOCH);
        assertThat(a.eventId).isNotEqualTo(b.eventId);
        assertThat(a.payload).isNotEqualTo(b.payload);
    }
}
