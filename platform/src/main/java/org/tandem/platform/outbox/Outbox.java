package org.tandem.platform.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.apache.avro.specific.SpecificRecord;

import org.tandem.platform.tracing.TraceParents;

/**
 * The transactional outbox. A state change and its event commit together or not at all; the
 * {@link OutboxRelay} publishes committed events to Kafka afterwards.
 */
@ApplicationScoped
public class Outbox {

    /** Fired when an event was appended; observed after commit to wake the relay without waiting for its poll. */
    public record Appended(String topic) {}

    @Inject
    Event<Appended> appended;

    @Inject
    Clock clock;

    /**
     * Appends an event in the caller's transaction. The record must have an {@code eventId} field
     * (every Tandem event does); it becomes the outbox row's unique id, which consumers use to drop duplicates.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public OutboxEvent append(String topic, String key, SpecificRecord event) {
        var row = row(topic, key, event, clock.instant());
        row.traceParent = TraceParents.current();
        row.persist();
        appended.fire(new Appended(topic));
        return row;
    }

    /** The outbox row of an event, not yet stored: its id is the event's, its payload the event's Avro encoding. */
    static OutboxEvent row(String topic, String key, SpecificRecord event, Instant createdAt) {
        var row = new OutboxEvent();
        row.eventId = UUID.fromString(
                event.get(event.getSchema().getField("eventId").pos()).toString());
        row.topic = topic;
        row.messageKey = key;
        row.eventType = event.getSchema().getFullName();
        row.payload = AvroCodec.encode(event);
        row.createdAt = createdAt;
        return row;
    }
}
