package org.tandem.platform.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One event waiting to be published, written in the same transaction as the state change it describes.
 * The payload is the Avro binary encoding of the event record; the relay turns it back into the record
 * and publishes it through the schema-registry serde.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id", nullable = false, unique = true)
    public UUID eventId;

    @Column(nullable = false)
    public String topic;

    /** The Kafka key: the aggregate id, so that one aggregate's events keep their order. */
    @Column(name = "message_key", nullable = false)
    public String messageKey;

    /** The Avro full name of the event record. */
    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(nullable = false)
    public byte[] payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(nullable = false)
    public int attempts;

    /** The traceparent of the transaction that wrote the event (ids only), or null when it was not traced. */
    @Column(name = "trace_parent")
    public String traceParent;
}
