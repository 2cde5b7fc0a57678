package org.tandem.notification.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.tandem.notification.domain.Refusal;
import org.tandem.notification.persistence.WebhookEndpointEntity;
import org.tandem.notification.persistence.WebhookEndpointRepository;

/**
 * How many enabled webhook endpoints one owner may have: each organisation, and the coordinators for the
 * network. Every endpoint costs delivery work and connections (docs/security.md, "Hostile webhook
 * endpoints"), so an organisation cannot multiply them. A disabled (deleted) endpoint does not count;
 * enabling it again is checked like a new one.
 */
@ApplicationScoped
public class EndpointLimit {

    public static final String SETTING = "tandem.webhooks.max-endpoints-per-organisation";
    static final int MAX_SETTING = 1000;

    @Inject
    WebhookEndpointRepository endpoints;

    @ConfigProperty(name = SETTING, defaultValue = "10")
    int maxEndpoints;

    void validate(@Observes StartupEvent e) {
        if (maxEndpoints < 1 || maxEndpoints > MAX_SETTING) {
            throw new IllegalStateException(SETTING + " (" + maxEndpoints + ") must be between 1 and " + MAX_SETTING);
        }
    }

    /**
     * Refuses ({@link Refusal.TooManyEndpoints}) one more enabled endpoint for this owner when it has the most
     * it may have. Runs in the caller's transaction, and holds a lock on the owner until it ends, so that
     * registrations made at the same moment cannot together pass the limit.
     */
    void checkRoomForOneMore(UUID organisationId, String scope) {
        UUID key = organisationId != null ? organisationId : new UUID(0, scope.hashCode());
        endpoints.lockOwner(key.getMostSignificantBits() ^ key.getLeastSignificantBits());
        long enabled = organisationId != null
                ? WebhookEndpointEntity.count("organisationId = ?1 and enabled = true", organisationId)
                : WebhookEndpointEntity.count("scope = ?1 and organisationId is null and enabled = true", scope);
        if (enabled >= maxEndpoints) {
            throw new Refusal.TooManyEndpoints(organisationId == null, enabled, maxEndpoints, SETTING);
        }
    }
}
