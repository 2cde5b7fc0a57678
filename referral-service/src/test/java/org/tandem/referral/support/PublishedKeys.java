package org.tandem.referral.support;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.tandem.client.OrganisationKeys;
import org.tandem.events.common.ServiceCode;
import org.tandem.events.registry.KeyUse;
import org.tandem.events.registry.PublicKeyRef;
import org.tandem.referral.casefile.RegistryKeysServer;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.TestOrganisation;

/**
 * An organisation with real keys: freshly generated, announced as approved with its current encryption and signature
 * keys on the organisations topic, and served by {@link RegistryKeysServer} as the registry would.
 */
public final class PublishedKeys {

    private PublishedKeys() {}

    /**
     * @param extra further key references to announce (an expiring key, say)
     * @return the organisation's keys, private parts included, as its own integration would hold them
     */
    public static OrganisationKeys publish(
            EventTopicWriter writer, TestOrganisation org, List<ServiceCode> services, PublicKeyRef... extra) {
        OrganisationKeys keys = OrganisationKeys.generate();
        Instant since = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        // generate() makes each kid its key's RFC 7638 thumbprint, so the kid is the thumbprint too
        List<PublicKeyRef> refs = new ArrayList<>(List.of(
                new PublicKeyRef(
                        keys.encryption().getKeyID(),
                        KeyUse.ENCRYPTION,
                        since,
                        null,
                        keys.encryption().getKeyID()),
                new PublicKeyRef(
                        keys.signature().getKeyID(),
                        KeyUse.SIGNATURE,
                        since,
                        null,
                        keys.signature().getKeyID())));
        refs.addAll(List.of(extra));
        writer.approvedOrganisation(org, services, refs);
        RegistryKeysServer.PUBLISHED.put(org.id(), keys.toPublicJwkSet());
        return keys;
    }
}
