package org.tandem.notification.application;

import java.time.Instant;
import java.util.UUID;

/** One attempt of a delivery; {@code id} orders the attempt log (the cursor of lists). */
public record Attempt(
        long id, UUID deliveryId, int attempt, Instant attemptedAt, Integer statusCode, String error, long latencyMs) {}
