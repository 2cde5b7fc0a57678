package org.tandem.notification.delivery;

import java.util.List;
import java.util.UUID;

/**
 * A delivery leased to this instance, with what sending it needs: its endpoint's URL and signing keys, opened.
 * {@code endpointHealthy}: when it was claimed, its endpoint had no failure counted and no alert raised, so a
 * success has nothing to reset ({@link EndpointHealth#succeeded}).
 */
record ClaimedDelivery(
        long seq,
        UUID deliveryId,
        UUID endpointId,
        String url,
        List<String> secrets,
        String ed25519Key,
        String payload,
        String traceParent,
        boolean endpointHealthy) {}
