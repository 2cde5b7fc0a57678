package org.tandem.notification.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import org.tandem.notification.domain.DeliveryStatus;

/** A webhook delivery; {@code status} is a {@link DeliveryStatus} by name. */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDeliveryEntity extends PanacheEntityBase {

    public static final String PENDING = DeliveryStatus.PENDING.name();
    public static final String DELIVERED = DeliveryStatus.DELIVERED.name();
    public static final String DEAD = DeliveryStatus.DEAD.name();

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    /** The {@code webhook-id}: the same on every retry, so that the receiver can drop duplicates. */
    @Column(nullable = false, unique = true)
    public UUID id;

    @Column(name = "endpoint_id", nullable = false)
    public UUID endpointId;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "ordering_key", nullable = false)
    public String orderingKey;

    @Column(nullable = false)
    public String payload;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "last_status_code")
    public Integer lastStatusCode;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    /** When it went to the dead letters (all attempts failed). */
    @Column(name = "dead_at")
    public Instant deadAt;

    /** The delivery this one replays, if it is a replay. */
    @Column(name = "replay_of")
    public UUID replayOf;

    /** The traceparent of the consumption that queued it (ids only), or null when it was not traced. */
    @jakarta.persistence.Column(name = "trace_parent")
    public String traceParent;
}
