package org.tandem.notification.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.tandem.notification.persistence.AlertEntity;
import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.security.Caller;

/** Reads alerts for their audience only: coordinators the network's, an org-admin her organisation's. */
@ApplicationScoped
public class AlertQueries {

    @Inject
    Caller caller;

    /** The caller's audience: null for a coordinator, else her organisation. */
    public UUID audience() {
        var org = caller.organisationId();
        if (org.isPresent()) {
            return org.get();
        }
        if (caller.isCoordinator()) {
            return null;
        }
        throw ProblemException.forbidden("Your account does not belong to an organisation of the network, so it cannot do this.");
    }

    public List<AlertEntity> newestFirst(UUID audience, Long before, int limit) {
        String who = audience == null ? "audienceOrganisationId is null" : "audienceOrganisationId = :audience";
        var q = AlertEntity.<AlertEntity>find(who + (before == null ? "" : " and seq < :before") + " order by seq desc",
                params(audience, "before", before));
        return q.page(0, limit).list();
    }

    public List<AlertEntity> after(UUID audience, long after, int limit) {
        String who = audience == null ? "audienceOrganisationId is null" : "audienceOrganisationId = :audience";
        return AlertEntity.<AlertEntity>find(who + " and seq > :after order by seq", params(audience, "after", after))
                .page(0, limit).list();
    }

    private static io.quarkus.panache.common.Parameters params(UUID audience, String name, Long value) {
        var p = new io.quarkus.panache.common.Parameters();
        if (audience != null) {
            p = p.and("audience", audience);
        }
        if (value != null) {
            p = p.and(name, value);
        }
        return p;
    }
}
