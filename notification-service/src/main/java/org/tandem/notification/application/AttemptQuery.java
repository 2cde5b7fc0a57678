package org.tandem.notification.application;

import java.util.UUID;

/** A query: an endpoint's attempt log, newest first, of one delivery (null: all), after the cursor (an id; null: from the newest). */
public record AttemptQuery(UUID endpointId, UUID deliveryId, Long cursor, int limit) {}
