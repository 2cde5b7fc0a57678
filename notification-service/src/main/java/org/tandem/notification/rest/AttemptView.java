package org.tandem.notification.rest;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One attempt: when, the status code or error, and the latency. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptView(
        UUID deliveryId, int attempt, Instant attemptedAt, Integer statusCode, String error, long latencyMs) {}
