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
import org.tandem.notification.persistence.WebhookEndpointEntity;

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

    /**
     * The enabled endpoints of these organisations that subscribe to {@code type}, or all of them for a type that
     * is {@linkplain WebhookEventType#alwaysDelivered() always delivered}.
     */
    public List<WebhookEndpointEntity> organisationEndpoints(Collection<UUID> organisations, WebhookEventType type) {
        return WebhookEndpointEntity.<WebhookEndpointEntity>list(
                        "enabled = true and scope = ?1 and organisationId in ?2",
                        WebhookEndpointEntity.ORGANISATION,
                        organisations)
                .stream()
                .filter(e -> type.alwaysDelivered() || subscribes(e, type))
                .toList();
    }

    /** The enabled coordinators' endpoints that subscribe to {@code type}. */
    public List<WebhookEndpointEntity> networkEndpoints(WebhookEventType type) {
        return WebhookEndpointEntity.<WebhookEndpointEntity>list(
                        "enabled = true and scope = ?1", WebhookEndpointEntity.NETWORK)
                .stream()
                .filter(e -> subscribes(e, type))
                .toList();
    }

    static boolean subscribes(WebhookEndpointEntity endpoint, WebhookEventType type) {
        for (String t : endpoint.eventTypes) {
            if (t.equals("*") || t.equals(type.wireName())) {
                return true;
            }
        }
        return false;
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

    /** Stores one delivery per endpoint, due now. Must run in a transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int enqueue(
            List<WebhookEndpointEntity> endpoints,
            WebhookEventType type,
            String eventId,
            String orderingKey,
            String payload) {
        for (WebhookEndpointEntity endpoint : endpoints) {
            store(endpoint.id, type.wireName(), eventId, orderingKey, payload, null);
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
        d.traceParent = org.tandem.platform.tracing.TraceParents.current();
        d.persist();
        return d;
    }
}
