package org.tandem.notification.service;

import java.util.List;

import org.tandem.notification.application.Alert;
import org.tandem.notification.application.Attempt;
import org.tandem.notification.application.Delivery;
import org.tandem.notification.application.Endpoint;
import org.tandem.notification.domain.DeliveryStatus;
import org.tandem.notification.persistence.AlertEntity;
import org.tandem.notification.persistence.WebhookAttemptEntity;
import org.tandem.notification.persistence.WebhookDeliveryEntity;
import org.tandem.notification.persistence.WebhookEndpointEntity;

/** Entities to the results the service layer returns; no entity leaves the service layer. */
final class Results {

    private Results() {}

    static Endpoint endpoint(WebhookEndpointEntity e) {
        return new Endpoint(
                e.id,
                e.scope,
                e.organisationId,
                e.url,
                List.of(e.eventTypes),
                e.enabled,
                e.disabledReason,
                e.description,
                e.alertEmail,
                e.createdAt,
                e.previousSecretSealed == null ? null : e.previousSecretUntil,
                e.ed25519PublicKey,
                e.consecutiveFailures,
                e.version);
    }

    static Delivery delivery(WebhookDeliveryEntity d) {
        DeliveryStatus status = DeliveryStatus.valueOf(d.status);
        return new Delivery(
                d.seq,
                d.id,
                d.endpointId,
                d.eventId,
                d.eventType,
                status,
                d.attempts,
                d.lastStatusCode,
                d.lastError,
                d.createdAt,
                status == DeliveryStatus.PENDING ? d.nextAttemptAt : null,
                d.deliveredAt,
                d.deadAt,
                d.replayOf);
    }

    static Attempt attempt(WebhookAttemptEntity a) {
        return new Attempt(a.id, a.deliveryId, a.attempt, a.attemptedAt, a.statusCode, a.error, a.latencyMs);
    }

    static Alert alert(AlertEntity a) {
        return new Alert(a.seq, a.id, a.kind, a.createdAt, a.payload);
    }
}
