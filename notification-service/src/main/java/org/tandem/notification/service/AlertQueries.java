package org.tandem.notification.service;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.panache.common.Parameters;

import org.tandem.notification.alert.AlertFeed;
import org.tandem.notification.application.Alert;
import org.tandem.notification.application.FeedSubscription;
import org.tandem.notification.domain.Refusal;
import org.tandem.notification.persistence.AlertEntity;
import org.tandem.platform.security.Caller;

/**
 * Reads alerts for their audience only: coordinators the network's, an org-admin her organisation's; as pages,
 * and as a live feed ({@link AlertFeed}).
 */
@ApplicationScoped
public class AlertQueries {

    @Inject
    Caller caller;

    @Inject
    AlertFeed feed;

    /** The caller's audience: null for a coordinator, else her organisation. */
    public UUID audience() {
        var org = caller.organisationId();
        if (org.isPresent()) {
            return org.get();
        }
        if (caller.isCoordinator()) {
            return null;
        }
        throw new Refusal.NoOrganisation();
    }

    public List<Alert> newestFirst(UUID audience, Long before, int limit) {
        String who = audience == null ? "audienceOrganisationId is null" : "audienceOrganisationId = :audience";
        var q = AlertEntity.<AlertEntity>find(
                who + (before == null ? "" : " and seq < :before") + " order by seq desc",
                params(audience, "before", before));
        return q.page(0, limit).list().stream().map(Results::alert).toList();
    }

    public List<Alert> after(UUID audience, long after, int limit) {
        String who = audience == null ? "audienceOrganisationId is null" : "audienceOrganisationId = :audience";
        return AlertEntity.<AlertEntity>find(who + " and seq > :after order by seq", params(audience, "after", after))
                .page(0, limit)
                .list()
                .stream()
                .map(Results::alert)
                .toList();
    }

    /**
     * Opens a live feed of the audience's alerts, holding one of the caller's slots: her organisation's, or her own
     * when she has none (a coordinator). Refused ({@link Refusal.TooManyFeeds}) over a bound on open feeds.
     *
     * @param send      writes one alert (its seq and JSON); throws when the client is gone
     * @param keepAlive writes a keep-alive comment; fails when the client is gone
     */
    public FeedSubscription subscribe(
            UUID audience, BiConsumer<Long, String> send, Supplier<CompletionStage<?>> keepAlive) {
        String owner = caller.organisationId().map(UUID::toString).orElseGet(() -> "subject:" + caller.subject());
        AlertFeed.Subscriber subscriber = feed.subscribe(owner, audience, send, keepAlive);
        return new FeedSubscription(() -> feed.unsubscribe(subscriber));
    }

    private static Parameters params(UUID audience, String name, Long value) {
        var p = new Parameters();
        if (audience != null) {
            p = p.and("audience", audience);
        }
        if (value != null) {
            p = p.and(name, value);
        }
        return p;
    }
}
