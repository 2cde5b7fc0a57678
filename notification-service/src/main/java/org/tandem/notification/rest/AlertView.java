package org.tandem.notification.rest;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** An alert: its kind, time and thin data (ids and codes). */
public record AlertView(long seq, UUID id, String kind, Instant createdAt, JsonNode data) {}
