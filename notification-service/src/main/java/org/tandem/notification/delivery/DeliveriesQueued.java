package org.tandem.notification.delivery;

/** Fired when deliveries were stored; observed after commit to wake the dispatcher at once. */
public record DeliveriesQueued(int count) {}
