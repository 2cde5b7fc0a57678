package org.tandem.referral.messaging;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.platform.inbox.EventFields;
import org.tandem.events.EventRecords;
import org.tandem.platform.inbox.ConsumerTransaction;
import org.tandem.platform.inbox.Inbox;
import org.tandem.referral.persistence.KnownOrganisation;
import org.tandem.referral.persistence.KnownOrganisationKey;

import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Keeps the {@code known_organisation} read model from the registry's compacted topic. Every event
 * carries the organisation's full snapshot with a version, so applying the newest snapshot is enough,
 * and an older or repeated one changes nothing.
 */
@ApplicationScoped
public class OrganisationEventsConsumer {

    public static final String CONSUMER = "referral-service.organisations";
    private static final Logger LOG = Logger.getLogger(OrganisationEventsConsumer.class);

    @Inject
    Inbox inbox;

    @Inject
    ConsumerTransaction transaction;

    @Incoming("organisations")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, Object> record) {
        transaction.run(CONSUMER, () -> apply(record));
    }

    /** The effect of one record; runs in the transaction {@link ConsumerTransaction} opens. */
    void apply(ConsumerRecord<String, Object> record) {
        SpecificRecord event = EventRecords.specific(record.value());
        if (event == null) {
            return; // a tombstone; organisations are never deleted, only suspended
        }
        if (!inbox.firstDelivery(CONSUMER, EventFields.eventId(event))) {
            return;
        }
        if (!(EventFields.field(event, "organisation") instanceof OrganisationSnapshot s)) {
            LOG.warnf("skipping %s on the organisations topic: it carries no snapshot", event.getSchema().getFullName());
            return;
        }
        apply(s);
    }

    static void apply(OrganisationSnapshot s) {
        UUID id = UUID.fromString(s.getOrganisationId());
        KnownOrganisation known = KnownOrganisation.findById(id);
        if (known != null && known.version >= s.getVersion()) {
            return;
        }
        if (known == null) {
            known = new KnownOrganisation();
            known.id = id;
        }
        known.country = s.getCountry();
        known.membershipStatus = s.getMembershipStatus().name();
        known.services = s.getServices().stream().map(Enum::name).toArray(String[]::new);
        known.languages = s.getLanguages().toArray(String[]::new);
        known.version = s.getVersion();
        known.updatedAt = Instant.now();
        known.persist();
        // the snapshot lists every key the organisation has published; mirror it
        KnownOrganisationKey.delete("organisationId", id);
        for (var key : s.getKeys()) {
            var k = new KnownOrganisationKey();
            k.kid = key.getKid();
            k.organisationId = id;
            k.use = key.getUse().name();
            k.notBefore = key.getNotBefore();
            k.expiresAt = key.getExpiresAt();
            k.persist();
        }
    }
}
