package org.tandem.registry.messaging;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.reactive.messaging.annotations.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import org.tandem.events.referral.ReferralAccepted;
import org.tandem.platform.inbox.EventConsumer;
import org.tandem.registry.service.ConfidentialAddresses;

/**
 * Listens on the referrals topic for acceptances: once an organisation accepted a referral, the sending
 * organisation may read the receiver's confidential address (to bring the survivor there). Idempotent
 * through the inbox; every other referral event is ignored.
 */
@ApplicationScoped
public class ReferralAcceptedConsumer {

    public static final String CONSUMER = "registry-service.referrals";

    /**
     * The one event type it takes. The channel's deserializer passes over every other type undecoded, by the
     * setting {@code mp.messaging.incoming.referrals.tandem.event-types}, which must name this type
     * (ReferralAcceptedConsumerTest keeps them in step).
     */
    public static final Class<ReferralAccepted> TAKES = ReferralAccepted.class;

    @Inject
    EventConsumer events;

    @Inject
    ConfidentialAddresses addresses;

    @Incoming("referrals")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, Object> record) {
        events.consume(CONSUMER, record.value(), TAKES, this::apply);
    }

    /** The effect of one acceptance; runs in the transaction {@link EventConsumer} opens, once per event. */
    void apply(ReferralAccepted accepted) {
        var ref = accepted.getReferral();
        addresses.disclose(
                UUID.fromString(ref.getReceiverOrganisationId()),
                UUID.fromString(ref.getSenderOrganisationId()),
                UUID.fromString(ref.getReferralId()),
                accepted.getOccurredAt());
    }
}
