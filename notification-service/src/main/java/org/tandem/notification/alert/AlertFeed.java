package org.tandem.notification.alert;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * The live feed: every committed alert is handed to the subscribers of its audience (the coordinators, or
 * one organisation's admins). A subscriber that missed alerts (reconnecting with Last-Event-ID) reads them
 * from the database first.
 */
@ApplicationScoped
public class AlertFeed {

    /** One open feed: its audience (null: coordinators) and where to write. */
    public record Subscriber(UUID audience, BiConsumer<Long, String> send) {
    }

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

    public Subscriber subscribe(UUID audience, BiConsumer<Long, String> send) {
        Subscriber s = new Subscriber(audience, send);
        subscribers.add(s);
        return s;
    }

    public void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    void onRaised(@Observes(during = TransactionPhase.AFTER_SUCCESS) AlertRaised alert) {
        for (Subscriber s : subscribers) {
            if (Objects.equals(s.audience(), alert.audienceOrganisationId())) {
                try {
                    s.send().accept(alert.seq(), alert.payload());
                } catch (RuntimeException e) {
                    subscribers.remove(s);
                }
            }
        }
    }
}
