package org.tandem.notification.application;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook endpoint as its owner sees it, never its secrets. {@code previousSecretValidUntil} is set while the
 * secret before the last rotation still signs.
 */
public record Endpoint(
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
        Instant previousSecretValidUntil,
        String ed25519PublicKey,
        int consecutiveFailures,
        long version) {}
