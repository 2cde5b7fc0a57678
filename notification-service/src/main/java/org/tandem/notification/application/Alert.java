package org.tandem.notification.application;

import java.time.Instant;
import java.util.UUID;

/** An alert: {@code payload} is its thin JSON (kind, ids, codes and time); {@code seq} orders the feed. */
public record Alert(long seq, UUID id, String kind, Instant createdAt, String payload) {}
