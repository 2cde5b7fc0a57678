package org.tandem.notification.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tandem.events.referral.ReferralRef;
import org.tandem.notification.delivery.DeliveriesQueued;
import org.tandem.notification.domain.WebhookEventType;
import org.tandem.notification.persistence.WebhookDeliveryEntity;
import org.tandem.notification.persistence.WebhookEndpointEntity;
import org.tandem.platform.inbox.EventFields;
import org.tandem.events.EventRecords;
import org.tandem.platform.inbox.Inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Turns each referral event into one webhook delivery per subscribed endpoint of the two organisations
 * involved, and only those: an organisation never hears about a referral it is not a party to. The
 * deliveries are stored with the processed event id in one transaction, so a redelivered event creates
 * none twice; the dispatcher sends them afterwards.
 */
@ApplicationScoped
public class ReferralEventsConsumer {

    public static final String CONSUMER = "notification-service.referrals";

    @Inject
    Inbox inbox;

    @Inject
    ObjectMapper json;

    @Inject
    Event<DeliveriesQueued> queued;

    @Incoming("referrals")
    @Blocking(ordered = true)
    @Transactional
    public void on(ConsumerRecord<String, Object> record) throws JsonProcessingException {
        SpecificRecord event = EventRecords.specific(record.value());
        if (event == null) {
            return;
        }
        String eventId = EventFields.eventId(event);
        if (!inbox.firstDelivery(CONSUMER, eventId)) {
            return;
        }
        var type = WebhookEventType.ofAvroType(event.getSchema().getFullName());
        if (type.isEmpty() || !(EventFields.field(event, "referral") instanceof ReferralRef ref)) {
            return; // an event partners cannot subscribe to
        }
        Instant occurredAt = (Instant) EventFields.field(event, "occurredAt");
        String payload = json.writeValueAsString(payload(type.get(), eventId, ref, occurredAt));
        List<WebhookEndpointEntity> endpoints = WebhookEndpointEntity.list(
                "enabled = true and organisationId in ?1", List.of(
                        UUID.fromString(ref.getSenderOrganisationId()), UUID.fromString(ref.getReceiverOrganisationId())));
        Instant now = Instant.now();
        int created = 0;
        for (WebhookEndpointEntity endpoint : endpoints) {
            if (!subscribes(endpoint, type.get())) {
                continue;
            }
            var d = new WebhookDeliveryEntity();
            d.id = UUID.randomUUID();
            d.endpointId = endpoint.id;
            d.eventId = eventId;
            d.eventType = type.get().wireName();
            d.orderingKey = ref.getReferralId();
            d.payload = payload;
            d.status = WebhookDeliveryEntity.PENDING;
            d.nextAttemptAt = now;
            d.createdAt = now;
            d.persist();
            created++;
        }
        if (created > 0) {
            queued.fire(new DeliveriesQueued(created));
        }
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
     * The thin payload (DESIGN §4): type, ids, new status and time. The receiver fetches anything else
     * through the audited API.
     */
    static Map<String, Object> payload(WebhookEventType type, String eventId, ReferralRef ref, Instant occurredAt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", eventId);
        data.put("referralId", ref.getReferralId());
        data.put("status", ref.getStatus().name());
        data.put("version", ref.getVersion());
        data.put("senderOrganisationId", ref.getSenderOrganisationId());
        data.put("receiverOrganisationId", ref.getReceiverOrganisationId());
        data.put("occurredAt", occurredAt.toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.wireName());
        body.put("timestamp", occurredAt.toString());
        body.put("data", data);
        return body;
    }
}
