package org.tandem.notification.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A webhook endpoint. {@code secret} is present only in the answer that created it or rotated its secret:
 * it is shown once. {@code previousSecretValidUntil} says until when the secret before the last rotation
 * still signs deliveries (both signatures are sent until then).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointView(
        UUID id,
        String scope,
        UUID organisationId,
        String url,
        List<String> eventTypes,
        boolean enabled,
        String disabledReason,
        String description,
        String alertEmail,
        Instant createdAt,
        String secret,
        Instant previousSecretValidUntil,
        String ed25519PublicKey,
        int consecutiveFailures,
        long version) {}
