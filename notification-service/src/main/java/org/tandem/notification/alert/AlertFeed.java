package org.tandem.notification.alert;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.tandem.notification.domain.Refusal;

/**
 * The live feed: every committed alert is handed to the subscribers of its audience (the coordinators, or
 * one organisation's admins). A subscriber that missed alerts (reconnecting with Last-Event-ID) reads them
 * from the database first.
 *
 * <p>Open feeds are bounded (docs/api.md, "Limits"): at most {@code tandem.alerts.streams.per-organisation}
 * for one organisation (a caller without one, a coordinator, counts on her own), and at most
 * {@code tandem.alerts.streams.total} in this instance. A feed over either bound is refused before it opens;
 * a closed feed frees its slot at once. A feed whose client went away before its close could be noticed (the
 * moment between the stream opening and the REST layer watching the connection) is found by the keep-alive
 * comment every {@code tandem.alerts.streams.keep-alive}, whose write fails, and frees its slot then.
 */
@ApplicationScoped
public class AlertFeed {

    /** Names of the two limits in problems (extension member {@code limit}). */
    public static final String PER_ORGANISATION = "alert-streams-per-organisation";

    public static final String TOTAL = "alert-streams-total";

    /** One open feed: who holds its slot, its audience (null: coordinators) and where to write. */
    public static final class Subscriber {
        private final String owner;
        private final UUID audience;
        private final BiConsumer<Long, String> send;
        private final Supplier<CompletionStage<?>> keepAlive;
        private final AtomicBoolean open = new AtomicBoolean(true);

        Subscriber(String owner, UUID audience, BiConsumer<Long, String> send, Supplier<CompletionStage<?>> keepAlive) {
            this.owner = owner;
            this.audience = audience;
            this.send = send;
            this.keepAlive = keepAlive;
        }

        public UUID audience() {
            return audience;
        }
    }

    @ConfigProperty(name = "tandem.alerts.streams.per-organisation", defaultValue = "5")
    int perOrganisation;

    @ConfigProperty(name = "tandem.alerts.streams.total", defaultValue = "200")
    int total;

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    /** Open feeds per owner; guarded by this. */
    private final Map<String, Integer> openPerOwner = new HashMap<>();

    private int openInAll;

    void check(@Observes StartupEvent start) {
        if (perOrganisation < 1 || total < perOrganisation) {
            throw new IllegalStateException("tandem.alerts.streams.per-organisation (" + perOrganisation
                    + ") must be at least 1 and tandem.alerts.streams.total (" + total + ") at least as large");
        }
    }

    /**
     * A new subscriber, holding one of {@code owner}'s slots (her organisation's id, or her subject when she has
     * none); 429 when her organisation has all its feeds open, 503 when the instance has.
     */
    public Subscriber subscribe(
            String owner, UUID audience, BiConsumer<Long, String> send, Supplier<CompletionStage<?>> keepAlive) {
        synchronized (this) {
            // her own bound first: an organisation at it is told so (429), whatever the others do
            int mine = openPerOwner.getOrDefault(owner, 0);
            if (mine >= perOrganisation) {
                throw new Refusal.TooManyFeeds(true, perOrganisation, PER_ORGANISATION);
            }
            if (openInAll >= total) {
                throw new Refusal.TooManyFeeds(false, total, TOTAL);
            }
            openPerOwner.put(owner, mine + 1);
            openInAll++;
        }
        Subscriber s = new Subscriber(owner, audience, send, keepAlive);
        subscribers.add(s);
        return s;
    }

    /** Ends a feed and frees its slot; a second call for the same feed does nothing. */
    public void unsubscribe(Subscriber s) {
        if (!s.open.compareAndSet(true, false)) {
            return;
        }
        subscribers.remove(s);
        synchronized (this) {
            openPerOwner.computeIfPresent(s.owner, (k, n) -> n > 1 ? n - 1 : null);
            openInAll--;
        }
    }

    /** A comment to every open feed; a feed whose write fails has lost its client and gives its slot back. */
    @Scheduled(
            every = "${tandem.alerts.streams.keep-alive:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void keepAlive() {
        for (Subscriber s : subscribers) {
            try {
                s.keepAlive.get().whenComplete((done, error) -> {
                    if (error != null) {
                        unsubscribe(s);
                    }
                });
            } catch (RuntimeException e) {
                unsubscribe(s);
            }
        }
    }

    /**
     * Shows a committed alert on this instance's open feeds of its audience. Called for every alert of every
     * instance ({@link AlertNotifications}), so a coordinator sees it whichever instance holds her feed.
     */
    void deliver(long seq, UUID audience, String payload) {
        for (Subscriber s : subscribers) {
            if (Objects.equals(s.audience, audience)) {
                try {
                    s.send.accept(seq, payload);
                } catch (RuntimeException e) {
                    unsubscribe(s);
                }
            }
        }
    }
}
