package org.tandem.notification.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.reactive.messaging.annotations.Blocking;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import org.tandem.events.registry.OrganisationKeyRotated;
import org.tandem.events.registry.OrganisationRegistered;
import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.events.registry.PublicKeyRef;
import org.tandem.notification.alert.AlertKind;
import org.tandem.notification.alert.Alerts;
import org.tandem.notification.delivery.DeliveryQueue;
import org.tandem.notification.domain.WebhookEventType;
import org.tandem.notification.persistence.WebhookEndpointEntity;
import org.tandem.platform.inbox.EventConsumer;
import org.tandem.platform.inbox.EventFields;

/**
 * Membership events from the registry: an application raises a coordinator alert, and registered,
 * approved and suspended go as webhooks to the coordinators' endpoints; approved and suspended also go to
 * the organisation's own endpoints. A key publication goes to the organisation's own endpoints and contact
 * addresses only. Other organisation events (profile, capacity) are not webhooks.
 */
@ApplicationScoped
public class OrganisationEventsConsumer {

    public static final String CONSUMER = "notification-service.organisations";

    @Inject
    EventConsumer events;

    @Inject
    DeliveryQueue queue;

    @Inject
    Alerts alerts;

    @Incoming("organisations")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, Object> record) {
        events.consume(CONSUMER, record.value(), this::apply);
    }

    /** The effect of one event; runs in the transaction {@link EventConsumer} opens, once per event. */
    void apply(SpecificRecord event) {
        var type = WebhookEventType.ofAvroType(event.getSchema().getFullName());
        if (type.isEmpty() || !(EventFields.field(event, "organisation") instanceof OrganisationSnapshot org)) {
            return; // profile and capacity events are not webhooks
        }
        String eventId = EventFields.eventId(event);
        Instant occurredAt = (Instant) EventFields.field(event, "occurredAt");
        if (event instanceof OrganisationKeyRotated rotated) {
            keysPublished(rotated, org, eventId, occurredAt);
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", eventId);
        data.put("organisationId", org.getOrganisationId());
        data.put("membershipStatus", org.getMembershipStatus().name());
        data.put("version", org.getVersion());
        data.put("country", org.getCountry());
        data.put("occurredAt", occurredAt.toString());
        String payload = queue.payload(type.get(), occurredAt, data);
        String orderingKey = "organisation:" + org.getOrganisationId();
        queue.enqueue(queue.networkEndpoints(type.get()), eventId, orderingKey, payload);
        if (type.get().availableTo(false)) {
            queue.enqueue(
                    queue.organisationEndpoints(List.of(UUID.fromString(org.getOrganisationId())), type.get()),
                    eventId,
                    orderingKey,
                    payload);
        }
        if (event instanceof OrganisationRegistered) {
            alerts.toCoordinators(AlertKind.MEMBERSHIP_APPLICATION, data);
        }
    }

    /**
     * New keys were published for the organisation: its own enabled endpoints get {@code organisation.keys_published}
     * (whatever they subscribed to), and an alert goes to its org-admins' feed and is e-mailed to every alert address
     * its org-admins registered on its endpoints, disabled ones included, so that a stolen org-admin account cannot
     * silence the notice by disabling an endpoint first (docs/security.md, "Key substitution"). Thin: ids, uses,
     * thumbprints and time; no key material and no address.
     */
    private void keysPublished(
            OrganisationKeyRotated rotated, OrganisationSnapshot org, String eventId, Instant occurredAt) {
        if (rotated.getPublished().isEmpty()) {
            return; // written by a registry before it named the published keys: nothing to tell
        }
        UUID organisationId = UUID.fromString(org.getOrganisationId());
        List<Map<String, Object>> keys = new ArrayList<>();
        for (PublicKeyRef k : rotated.getPublished()) {
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("kid", k.getKid());
            key.put("use", k.getUse().name());
            key.put("thumbprint", k.getThumbprint());
            key.put("notBefore", k.getNotBefore().toString());
            keys.add(key);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", eventId);
        data.put("organisationId", org.getOrganisationId());
        data.put("keys", keys);
        data.put("occurredAt", occurredAt.toString());
        WebhookEventType type = WebhookEventType.ORGANISATION_KEYS_PUBLISHED;
        queue.enqueue(
                queue.organisationEndpoints(List.of(organisationId), type),
                eventId,
                "organisation:" + org.getOrganisationId(),
                queue.payload(type, occurredAt, data));
        String emails = WebhookEndpointEntity.<WebhookEndpointEntity>list(
                        "scope = ?1 and organisationId = ?2 and alertEmail is not null",
                        WebhookEndpointEntity.ORGANISATION,
                        organisationId)
                .stream()
                .map(e -> e.alertEmail.trim())
                .filter(a -> !a.isEmpty())
                .distinct()
                .sorted()
                .collect(Collectors.joining(","));
        alerts.toOrganisation(AlertKind.KEYS_PUBLISHED, organisationId, data, emails);
    }
}
