package org.tandem.notification.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A webhook endpoint. {@code secret} is present only in the answer that created it: it is shown once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointView(UUID id, UUID organisationId, String url, List<String> eventTypes, boolean enabled,
        String description, Instant createdAt, String secret, long version) {
}
