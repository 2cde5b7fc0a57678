package org.tandem.notification.application;

import java.util.UUID;

import org.tandem.notification.domain.DeliveryStatus;

/** A query: an endpoint's deliveries, newest first, of one status (null: all), after the cursor (a seq; null: from the newest). */
public record DeliveryQuery(UUID endpointId, DeliveryStatus status, Long cursor, int limit) {}
