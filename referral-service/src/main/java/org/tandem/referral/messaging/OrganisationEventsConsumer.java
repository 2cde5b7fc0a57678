package org.tandem.referral.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.reactive.messaging.annotations.Blocking;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.platform.inbox.EventConsumer;
import org.tandem.platform.inbox.EventFields;
import org.tandem.platform.organisations.KnownOrganisations;

/**
 * Keeps the {@code known_organisation} read model ({@link KnownOrganisations}) from the registry's compacted
 * topic. Every event carries the organisation's full snapshot with a version, so applying the newest snapshot
 * is enough, and an older or repeated one changes nothing. Tombstones are skipped: organisations are never
 * deleted, only suspended.
 */
@ApplicationScoped
public class OrganisationEventsConsumer {

    public static final String CONSUMER = "referral-service.organisations";
    private static final Logger LOG = Logger.getLogger(OrganisationEventsConsumer.class);

    @Inject
    EventConsumer events;

    @Inject
    KnownOrganisations organisations;

    @Incoming("organisations")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, Object> record) {
        events.consume(CONSUMER, record.value(), this::apply);
    }

    /** The effect of one event; runs in the transaction {@link EventConsumer} opens, once per event. */
    void apply(SpecificRecord event) {
        if (!(EventFields.field(event, "organisation") instanceof OrganisationSnapshot s)) {
            LOG.warnf(
                    "skipping %s on the organisations topic: it carries no snapshot",
                    event.getSchema().getFullName());
            return;
        }
        organisations.apply(s);
    }
}
