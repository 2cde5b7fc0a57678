package org.tandem.notification.delivery;

import java.util.List;
import java.util.UUID;

/** A delivery leased to this instance, with what sending it needs: its endpoint's URL and signing keys, opened. */
record ClaimedDelivery(
        long seq,
        UUID deliveryId,
        UUID endpointId,
        String url,
        List<String> secrets,
        String ed25519Key,
        String payload,
        String traceParent) {}
