package org.tandem.notification.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tandem.events.registry.OrganisationRegistered;
import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.notification.alert.AlertKind;
import org.tandem.notification.alert.Alerts;
import org.tandem.notification.delivery.DeliveryQueue;
import org.tandem.notification.domain.WebhookEventType;
import org.tandem.platform.inbox.ConsumerTransaction;
import org.tandem.platform.inbox.EventFields;
import org.tandem.platform.inbox.Inbox;

import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Membership events from the registry: an application raises a coordinator alert, and registered,
 * approved and suspended go as webhooks to the coordinators' endpoints; approved and suspended also go to
 * the organisation's own endpoints. Other organisation events (profile, capacity, keys) are not webhooks.
 */
@ApplicationScoped
public class OrganisationEventsConsumer {

    public static final String CONSUMER = "notification-service.organisations";

    @Inject
    Inbox inbox;

    @Inject
    ConsumerTransaction transaction;

    @Inject
    DeliveryQueue queue;

    @Inject
    Alerts alerts;

    @Incoming("organisations")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, Object> record) {
        transaction.run(CONSUMER, () -> apply(record));
    }

    /** The effect of one record; runs in the transaction {@link ConsumerTransaction} opens. */
    void apply(ConsumerRecord<String, Object> record) {
        var first = inbox.firstDeliveryOf(CONSUMER, record.value());
        if (first.isEmpty()) {
            return;
        }
        SpecificRecord event = first.get();
        var type = WebhookEventType.ofAvroType(event.getSchema().getFullName());
        if (type.isEmpty() || !(EventFields.field(event, "organisation") instanceof OrganisationSnapshot org)) {
            return; // profile, capacity and key events are not webhooks
        }
        String eventId = EventFields.eventId(event);
        Instant occurredAt = (Instant) EventFields.field(event, "occurredAt");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", eventId);
        data.put("organisationId", org.getOrganisationId());
        data.put("membershipStatus", org.getMembershipStatus().name());
        data.put("version", org.getVersion());
        data.put("country", org.getCountry());
        data.put("occurredAt", occurredAt.toString());
        String payload = queue.payload(type.get(), occurredAt, data);
        String orderingKey = "organisation:" + org.getOrganisationId();
        queue.enqueue(queue.networkEndpoints(type.get()), type.get(), eventId, orderingKey, payload);
        if (type.get().availableTo(false)) {
            queue.enqueue(queue.organisationEndpoints(List.of(UUID.fromString(org.getOrganisationId())), type.get()),
                    type.get(), eventId, orderingKey, payload);
        }
        if (event instanceof OrganisationRegistered) {
            alerts.toCoordinators(AlertKind.MEMBERSHIP_APPLICATION, data);
        }
    }
}
