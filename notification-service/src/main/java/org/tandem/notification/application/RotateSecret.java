package org.tandem.notification.application;

import java.util.UUID;

/** A command: a new signing secret (null: Tandem makes one); the old one signs for {@code overlapSeconds} (null: the default). */
public record RotateSecret(UUID endpointId, String secret, Long overlapSeconds) {}
