package org.tandem.notification.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.tandem.notification.domain.WebhookEventType;
import org.tandem.notification.persistence.WebhookDeliveryEntity;
import org.tandem.notification.persistence.WebhookDeliveryRepository;
import org.tandem.notification.persistence.WebhookDeliveryRepository.Recipients;
import org.tandem.notification.persistence.WebhookEndpointEntity;
import org.tandem.platform.tracing.TraceParents;

/**
 * Stores deliveries in the caller's transaction (they are persisted before they are attempted) and wakes
 * the dispatcher once that transaction commits.
 */
@ApplicationScoped
public class DeliveryQueue {

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    Event<DeliveriesQueued> queued;

    @Inject
    WebhookDeliveryRepository deliveries;

    /**
     * The enabled endpoints of these organisations that subscribe to {@code type}, or all of them for a type that
     * is {@linkplain WebhookEventType#alwaysDelivered() always delivered}. Chosen in SQL by the statement that
     * stores the deliveries ({@link #enqueue(Recipients, String, String, String)}): loading whole
     * endpoint entities per event was about a fifth of the consumer's CPU (docs/performance.md, "Profiles").
     */
    public Recipients organisationEndpoints(Collection<UUID> organisations, WebhookEventType type) {
        return new Recipients(
                WebhookEndpointEntity.ORGANISATION,
                List.copyOf(organisations),
                type.wireName(),
                type.alwaysDelivered());
    }

    /** The enabled coordinators' endpoints that subscribe to {@code type}. */
    public Recipients networkEndpoints(WebhookEventType type) {
        return new Recipients(WebhookEndpointEntity.NETWORK, null, type.wireName(), false);
    }

    /**
     * The Standard Webhooks payload: {@code type}, {@code timestamp} and thin {@code data} (ids, codes,
     * status and time; docs/design.md §4.6).
     */
    public String payload(WebhookEventType type, Instant occurredAt, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.wireName());
        body.put("timestamp", occurredAt.toString());
        body.put("data", data);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a webhook payload", e);
        }
    }

    /**
     * Stores one delivery, due now, for each endpoint of {@code to} (which names the event type), with one statement
     * ({@link WebhookDeliveryRepository#storeFor}). Must run in a transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int enqueue(Recipients to, String eventId, String orderingKey, String payload) {
        if (to.organisations() != null && to.organisations().isEmpty()) {
            return 0;
        }
        int stored = deliveries.storeFor(to, eventId, orderingKey, payload, clock.instant(), TraceParents.current());
        if (stored > 0) {
            queued.fire(new DeliveriesQueued(stored));
        }
        return stored;
    }

    /** Stores one delivery per endpoint (by id), due now, whatever the endpoint subscribed to. Must run in a transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int enqueue(
            List<UUID> endpoints, WebhookEventType type, String eventId, String orderingKey, String payload) {
        for (UUID endpoint : endpoints) {
            store(endpoint, type.wireName(), eventId, orderingKey, payload, null);
        }
        if (!endpoints.isEmpty()) {
            queued.fire(new DeliveriesQueued(endpoints.size()));
        }
        return endpoints.size();
    }

    /** Stores a replay of {@code original}: same payload, a new webhook-id, at the end of its order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public WebhookDeliveryEntity replay(WebhookDeliveryEntity original) {
        WebhookDeliveryEntity d = store(
                original.endpointId,
                original.eventType,
                original.eventId,
                original.orderingKey,
                original.payload,
                original.id);
        queued.fire(new DeliveriesQueued(1));
        return d;
    }

    private WebhookDeliveryEntity store(
            UUID endpointId, String type, String eventId, String orderingKey, String payload, UUID replayOf) {
        Instant now = clock.instant();
        var d = new WebhookDeliveryEntity();
        d.id = UUID.randomUUID();
        d.endpointId = endpointId;
        d.eventId = eventId;
        d.eventType = type;
        d.orderingKey = orderingKey;
        d.payload = payload;
        d.status = WebhookDeliveryEntity.PENDING;
        d.nextAttemptAt = now;
        d.createdAt = now;
        d.replayOf = replayOf;
        d.traceParent = TraceParents.current();
        d.persist();
        return d;
    }
}
