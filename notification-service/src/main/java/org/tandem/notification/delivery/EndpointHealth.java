package org.tandem.notification.delivery;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import org.tandem.notification.alert.AlertKind;
import org.tandem.notification.alert.Alerts;
import org.tandem.notification.domain.WebhookEventType;
import org.tandem.notification.persistence.WebhookDeliveryEntity;
import org.tandem.notification.persistence.WebhookEndpointRepository;
import org.tandem.notification.persistence.WebhookEndpointRepository.Failures;

/**
 * An endpoint's health, from the results of its attempts: a success resets its failure count; 410 Gone disables
 * it; a dead letter is told to its organisation; and after {@code tandem.alerts.failing-after} failures in a row
 * the coordinators are told once (an alert, and an {@code endpoint.failing} webhook to their endpoints) until a
 * success. Every change is a single atomic update ({@link WebhookEndpointRepository}), in the transaction that
 * records the attempt.
 */
@ApplicationScoped
public class EndpointHealth {

    private static final Logger LOG = Logger.getLogger(EndpointHealth.class);

    @Inject
    WebhookEndpointRepository endpoints;

    @Inject
    Alerts alerts;

    @Inject
    DeliveryQueue queue;

    /** Consecutive failed attempts after which the coordinators are told an endpoint keeps failing. */
    @ConfigProperty(name = "tandem.alerts.failing-after", defaultValue = "5")
    int failingAfter;

    /**
     * Resets the failure count after a success. The recorder skips it when the endpoint was healthy as the delivery
     * was claimed, which saves a statement on nearly every webhook (#18); a failure recorded while that request was in
     * flight then stays counted until the next success claimed after it, as the attempts' order between concurrent
     * requests is not defined anyway.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void succeeded(UUID endpointId) {
        endpoints.resetFailures(endpointId);
    }

    /** A failed attempt with this status code (null: no answer): 410 disables the endpoint; the failure is counted. */
    @Transactional(Transactional.TxType.MANDATORY)
    Failures failed(UUID endpointId, Integer status, Instant now) {
        if (status != null && status == 410) {
            endpoints.disableGone(endpointId, now);
            LOG.infof("webhook endpoint %s answered 410 Gone and is disabled", endpointId);
        }
        return endpoints.countFailure(endpointId);
    }

    /** A delivery failed every attempt: its organisation is told (feed, and e-mail to the endpoint's alert address). */
    @Transactional(Transactional.TxType.MANDATORY)
    void deadLettered(WebhookDeliveryEntity d, Failures failures) {
        if (failures.organisationId() != null) {
            alerts.toOrganisation(
                    AlertKind.DELIVERY_DEAD_LETTERED,
                    failures.organisationId(),
                    Map.of(
                            "endpointId",
                            d.endpointId.toString(),
                            "deliveryId",
                            d.id.toString(),
                            "eventType",
                            d.eventType,
                            "attempts",
                            d.attempts),
                    failures.alertEmail());
        }
    }

    /** Tells the coordinators, once until a success, that an organisation's endpoint keeps failing. */
    @Transactional(Transactional.TxType.MANDATORY)
    void alertIfFailing(UUID endpointId, Failures failures, Integer status, Instant now) {
        if (failures.consecutive() >= failingAfter
                && failures.organisationId() != null
                && endpoints.markFailingAlerted(endpointId)) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("endpointId", endpointId.toString());
            data.put("organisationId", failures.organisationId().toString());
            data.put("consecutiveFailures", failures.consecutive());
            data.put("lastStatusCode", status);
            alerts.toCoordinators(AlertKind.DELIVERY_FAILING, data);
            queue.enqueue(
                    queue.networkEndpoints(WebhookEventType.ENDPOINT_FAILING),
                    UUID.randomUUID().toString(),
                    "endpoint:" + endpointId,
                    queue.payload(WebhookEventType.ENDPOINT_FAILING, now, data));
        }
    }
}
