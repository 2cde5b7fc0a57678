package org.tandem.notification.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.reactive.messaging.annotations.Blocking;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import org.tandem.events.referral.ReferralEscalated;
import org.tandem.events.referral.ReferralRef;
import org.tandem.notification.alert.AlertKind;
import org.tandem.notification.alert.Alerts;
import org.tandem.notification.delivery.DeliveryQueue;
import org.tandem.notification.domain.WebhookEventType;
import org.tandem.platform.inbox.EventConsumer;
import org.tandem.platform.inbox.EventFields;

/**
 * Turns each referral event into one webhook delivery per subscribed endpoint of the two organisations
 * involved, and only those: an organisation never hears about a referral it is not a party to. An
 * escalation also goes to the coordinators' endpoints and raises a coordinator alert. Everything is stored
 * with the processed event id in one transaction, so a redelivered event creates nothing twice; the
 * dispatcher sends the deliveries afterwards.
 */
@ApplicationScoped
public class ReferralEventsConsumer {

    public static final String CONSUMER = "notification-service.referrals";

    @Inject
    EventConsumer events;

    @Inject
    DeliveryQueue queue;

    @Inject
    Alerts alerts;

    /**
     * A poll's records at a time (the channel is a batch channel): all of them in one transaction, each in the trace
     * of the change that wrote it ({@link EventConsumer#consumeAll}).
     */
    @Incoming("referrals")
    @Blocking(ordered = true)
    public void on(ConsumerRecords<String, Object> records) {
        events.consumeAll(CONSUMER, records, this::apply);
    }

    /** The effect of one event; runs in the transaction {@link EventConsumer} opens, once per event. */
    void apply(SpecificRecord event) {
        String eventId = EventFields.eventId(event);
        var type = WebhookEventType.ofAvroType(event.getSchema().getFullName());
        if (type.isEmpty() || !(EventFields.field(event, "referral") instanceof ReferralRef ref)) {
            return; // an event partners cannot subscribe to
        }
        Instant occurredAt = (Instant) EventFields.field(event, "occurredAt");
        Map<String, Object> data = data(eventId, ref, occurredAt);
        if (event instanceof ReferralEscalated escalated) {
            data.put("missedDeadline", escalated.getMissedDeadline().name());
        }
        // the network's endpoints (coordinators) get the stage but never the pathway id: coordinators see pathways
        // only as counts (docs/webhooks.md); the two parties get both
        String networkPayload = queue.payload(type.get(), occurredAt, data);
        String payload = queue.payload(type.get(), occurredAt, forParties(data, ref));
        List<UUID> parties = List.of(
                UUID.fromString(ref.getSenderOrganisationId()), UUID.fromString(ref.getReceiverOrganisationId()));
        queue.enqueue(queue.organisationEndpoints(parties, type.get()), eventId, ref.getReferralId(), payload);
        if (type.get().availableTo(true)) {
            queue.enqueue(queue.networkEndpoints(type.get()), eventId, ref.getReferralId(), networkPayload);
        }
        if (event instanceof ReferralEscalated) {
            alerts.toCoordinators(AlertKind.REFERRAL_ESCALATED, data);
        }
    }

    /**
     * The thin data (docs/webhooks.md): ids, new status and time, and the stage when the event carries one. The receiver fetches anything else through the
     * audited API.
     */
    static Map<String, Object> data(String eventId, ReferralRef ref, Instant occurredAt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", eventId);
        data.put("referralId", ref.getReferralId());
        data.put("status", ref.getStatus().name());
        data.put("version", ref.getVersion());
        data.put("senderOrganisationId", ref.getSenderOrganisationId());
        data.put("receiverOrganisationId", ref.getReceiverOrganisationId());
        data.put("occurredAt", occurredAt.toString());
        if (ref.getStage() != null) {
            data.put("stage", ref.getStage().name());
        }
        return data;
    }

    /** The data for the referral's two parties: also its pathway's opaque id, when the event carries one. */
    static Map<String, Object> forParties(Map<String, Object> data, ReferralRef ref) {
        if (ref.getPathwayId() == null) {
            return data;
        }
        Map<String, Object> out = new LinkedHashMap<>(data);
        out.put("pathwayId", ref.getPathwayId());
        return out;
    }
}
