package org.tandem.notification.domain;

/** Where a webhook delivery is: being attempted (or waiting for a retry), delivered, or dead after its last attempt. */
public enum DeliveryStatus {
    PENDING,
    DELIVERED,
    DEAD
}
