package org.tandem.notification.application;

import java.time.Instant;
import java.util.UUID;

import org.tandem.notification.domain.DeliveryStatus;

/** One webhook delivery; {@code seq} is its place in the queue (the cursor of lists). */
public record Delivery(
        long seq,
        UUID id,
        UUID endpointId,
        String eventId,
        String eventType,
        DeliveryStatus status,
        int attempts,
        Integer lastStatusCode,
        String lastError,
        Instant createdAt,
        Instant nextAttemptAt,
        Instant deliveredAt,
        Instant deadAt,
        UUID replayOf) {}
