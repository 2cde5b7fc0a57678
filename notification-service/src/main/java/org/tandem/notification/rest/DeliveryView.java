package org.tandem.notification.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One webhook delivery and, when read alone, its attempts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryView(
        UUID id,
        UUID endpointId,
        String eventId,
        String eventType,
        String status,
        int attempts,
        Integer lastStatusCode,
        String lastError,
        Instant createdAt,
        Instant nextAttemptAt,
        Instant deliveredAt,
        Instant deadAt,
        UUID replayOf,
        List<AttemptView> attemptLog) {}
