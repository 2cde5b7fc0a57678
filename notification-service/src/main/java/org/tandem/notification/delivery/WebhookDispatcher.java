package org.tandem.notification.delivery;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.tandem.notification.alert.AlertKind;
import org.tandem.notification.alert.Alerts;
import org.tandem.notification.domain.RetryAfter;
import org.tandem.notification.domain.RetrySchedule;
import org.tandem.notification.domain.WebhookEventType;
import org.tandem.notification.persistence.WebhookAttemptEntity;
import org.tandem.notification.persistence.WebhookDeliveryEntity;
import org.tandem.notification.persistence.WebhookEndpointEntity;
import org.tandem.notification.secrets.SecretEnvelope;
import org.tandem.notification.secrets.WebhookSecrets;
import org.tandem.platform.problem.SafeThrowables;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Sends stored deliveries. A delivery is claimed by pushing its next-attempt time past the request
 * timeout (a lease) and committing, then sent, then its result is stored; a crash mid-flight leaves the
 * lease to expire and the delivery is sent again with the same {@code webhook-id}. A delivery waits while
 * an earlier delivery of the same referral to the same endpoint is still pending, so that each endpoint
 * sees a referral's events in order even while one of them is being retried.
 *
 * <p>At most {@code tandem.webhooks.workers} requests are in flight, and at most
 * {@code tandem.webhooks.per-endpoint} of them to one endpoint, so a slow endpoint occupies only its own
 * share and the others keep being served: the loop claims more work as soon as any request finishes.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    WebhookSender sender;

    @Inject
    DeliveryQueue queue;

    @Inject
    Alerts alerts;

    @Inject
    MeterRegistry meters;

    @Inject
    WebhookSecrets secrets;

    @ConfigProperty(name = "tandem.webhooks.timeout", defaultValue = "PT15S")
    Duration timeout;

    @ConfigProperty(name = "tandem.webhooks.workers", defaultValue = "32")
    int workers;

    @ConfigProperty(name = "tandem.webhooks.per-endpoint", defaultValue = "8")
    int perEndpoint;

    /** How long past the request timeout a claimed delivery stays leased to the instance that claimed it. */
    @ConfigProperty(name = "tandem.webhooks.lease-margin", defaultValue = "PT30S")
    Duration leaseMargin;

    @ConfigProperty(name = "tandem.webhooks.poll-interval", defaultValue = "PT1S")
    Duration pollInterval;

    @ConfigProperty(name = "tandem.webhooks.enabled", defaultValue = "true")
    boolean enabled;

    /** Consecutive failed attempts after which the coordinators are told an endpoint keeps failing. */
    @ConfigProperty(name = "tandem.alerts.failing-after", defaultValue = "5")
    int failingAfter;

    private RetrySchedule schedule = new RetrySchedule(new SecureRandom());
    private final Semaphore wake = new Semaphore(0);
    /** Requests in flight per endpoint. Only the loop adds (after a claim commits); a finished request subtracts. */
    private final Map<UUID, Integer> inFlightPerEndpoint = new ConcurrentHashMap<>();
    private Semaphore slots;
    private volatile boolean running;
    private ExecutorService loop;
    private ExecutorService senders;

    void start(@Observes StartupEvent e) {
        meters.gauge("tandem.webhook.deliveries.pending", this, d -> d.pendingCount());
        if (!enabled) {
            return;
        }
        if (perEndpoint < 1 || workers <= perEndpoint) {
            throw new IllegalStateException("tandem.webhooks.workers (" + workers + ") must be greater than"
                    + " tandem.webhooks.per-endpoint (" + perEndpoint + "), which must be at least 1:"
                    + " otherwise one slow endpoint could take every worker");
        }
        slots = new Semaphore(workers);
        senders = Executors.newFixedThreadPool(workers, WebhookDispatcher::daemon);
        // all of them now: the service's thread count is fixed from the start, whatever endpoints do later
        ((ThreadPoolExecutor) senders).prestartAllCoreThreads();
        loop = Executors.newSingleThreadExecutor(WebhookDispatcher::daemon);
        running = true;
        loop.submit(this::run);
    }

    /** Daemon threads, so that a service whose start failed still exits. */
    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "webhook-dispatch");
        t.setDaemon(true);
        return t;
    }

    void stop(@Observes ShutdownEvent e) {
        running = false;
        wake.release();
        if (loop != null) {
            loop.shutdownNow();
            senders.shutdownNow();
        }
    }

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) DeliveriesQueued queued) {
        wake.release();
    }

    private double pendingCount() {
        try {
            return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                    "select count(*) from webhook_delivery where status = 'PENDING'").getSingleResult()).doubleValue());
        } catch (RuntimeException ex) {
            return Double.NaN;
        }
    }

    private void run() {
        while (running) {
            try {
                int started = dispatchOnce();
                if (started == 0) {
                    wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException ex) {
                LOG.warnf("webhook dispatch round failed: %s", SafeThrowables.describe(ex));
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Claims as many due deliveries as there are free worker slots and starts sending them; returns how many
     * were started. It does not wait for them: a finished request frees its slot and wakes the loop.
     */
    int dispatchOnce() throws InterruptedException {
        int free = slots.availablePermits();
        if (free == 0) {
            wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
            return 0;
        }
        List<UUID> busy = inFlightPerEndpoint.entrySet().stream().filter(en -> en.getValue() >= perEndpoint)
                .map(Map.Entry::getKey).toList();
        List<Claimed> claimed = claim(free, busy);
        for (Claimed c : claimed) {
            inFlightPerEndpoint.merge(c.endpointId(), 1, Integer::sum);
            slots.acquire();
            senders.submit(() -> {
                try {
                    deliver(c);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException ex) {
                    LOG.warnf("webhook delivery %s failed: %s", c.deliveryId(), SafeThrowables.describe(ex));
                } finally {
                    inFlightPerEndpoint.computeIfPresent(c.endpointId(), (k, v) -> v <= 1 ? null : v - 1);
                    slots.release();
                    wake.release();
                }
            });
        }
        return claimed.size();
    }

    record Claimed(long seq, UUID deliveryId, UUID endpointId, String url, List<String> secrets, String ed25519Key,
            String payload) {
    }

    /**
     * Claims up to {@code max} due deliveries in one transaction with three statements, whatever {@code max}:
     * the due candidates are locked ({@code FOR UPDATE SKIP LOCKED}, so that instances never claim the same
     * one), those within each endpoint's free share are leased with one update, and their endpoints are read
     * with one query. A candidate waits while an earlier delivery of its referral to its endpoint is pending
     * (in flight, or waiting for a retry), so at most one delivery per (referral, endpoint) is ever in flight.
     */
    private List<Claimed> claim(int max, List<UUID> busy) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            String skipBusy = busy.isEmpty() ? "" : " and d.endpoint_id not in (:busy)";
            var query = em.createNativeQuery("""
                    select d.seq, d.endpoint_id from webhook_delivery d
                    join webhook_endpoint e on e.id = d.endpoint_id
                    where d.status = 'PENDING' and d.next_attempt_at <= :now and e.enabled""" + skipBusy + """

                      and not exists (select 1 from webhook_delivery p
                                      where p.endpoint_id = d.endpoint_id and p.ordering_key = d.ordering_key
                                        and p.status = 'PENDING' and p.seq < d.seq)
                    order by d.next_attempt_at, d.seq
                    limit :scan
                    for update of d skip locked""")
                    .setParameter("now", now).setParameter("scan", max * 4);
            if (!busy.isEmpty()) {
                query.setParameter("busy", busy);
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = query.getResultList();
            List<Long> chosen = new ArrayList<>();
            Map<UUID, Integer> taken = new HashMap<>();
            for (Object[] r : rows) {
                if (chosen.size() == max) {
                    break;
                }
                UUID endpointId = (UUID) r[1];
                int share = perEndpoint - inFlightPerEndpoint.getOrDefault(endpointId, 0);
                if (taken.getOrDefault(endpointId, 0) < share) {
                    taken.merge(endpointId, 1, Integer::sum);
                    chosen.add(((Number) r[0]).longValue());
                }
            }
            if (chosen.isEmpty()) {
                return List.<Claimed>of();
            }
            Instant leaseUntil = now.plus(timeout).plus(leaseMargin);
            @SuppressWarnings("unchecked")
            List<Object[]> leased = em.createNativeQuery("""
                    update webhook_delivery set next_attempt_at = :lease where seq in (:seqs)
                    returning seq, id, endpoint_id, payload""")
                    .setParameter("lease", leaseUntil).setParameter("seqs", chosen).getResultList();
            Map<UUID, WebhookEndpointEntity> endpoints = new HashMap<>();
            WebhookEndpointEntity.<WebhookEndpointEntity>list("id in ?1", taken.keySet())
                    .forEach(e -> endpoints.put(e.id, e));
            List<Claimed> claimed = new ArrayList<>(leased.size());
            for (Object[] r : leased) {
                WebhookEndpointEntity e = endpoints.get((UUID) r[2]);
                List<String> signing;
                String ed25519;
                try {
                    signing = secrets.signingSecrets(e, now);
                    ed25519 = secrets.ed25519PrivateKey(e);
                } catch (SecretEnvelope.SealedValueException unopenable) {
                    // Its key-encryption key is missing from the configuration (or the row was tampered with): this
                    // delivery stays leased and is tried again after the lease; the other endpoints go on.
                    LOG.errorf("webhook delivery %s to endpoint %s waits: %s", r[1], e.id, unopenable.getMessage());
                    continue;
                }
                claimed.add(new Claimed(((Number) r[0]).longValue(), (UUID) r[1], e.id, e.url, signing, ed25519, (String) r[3]));
            }
            claimed.sort(Comparator.comparingLong(Claimed::seq));
            return claimed;
        });
    }

    private void deliver(Claimed c) throws InterruptedException {
        Instant attemptedAt = clock.instant();
        long timestamp = attemptedAt.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", "Tandem-Webhooks/1");
        headers.put("webhook-id", c.deliveryId().toString());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature",
                WebhookSigner.signatures(c.secrets(), c.ed25519Key(), c.deliveryId().toString(), timestamp, c.payload()));
        WebhookSender.Outcome outcome = sender.send(c.url(), headers, c.payload());
        String result = outcome.success() ? "delivered" : outcome.connected() ? "failed" : "refused";
        meters.counter("tandem.webhook.attempts", "result", result).increment();
        if (outcome.connected()) {
            Timer.builder("tandem.webhook.latency").publishPercentiles(0.5, 0.95, 0.99).register(meters)
                    .record(Duration.ofMillis(outcome.latencyMillis()));
        }
        record(c, attemptedAt, outcome);
    }

    /**
     * Stores an attempt's result. The endpoint's counters are changed with single atomic updates (not
     * through the versioned entity), so that results for one endpoint recorded at the same time never
     * conflict: a lost result would mean sending again what was already delivered.
     */
    private void record(Claimed c, Instant attemptedAt, WebhookSender.Outcome outcome) {
        QuarkusTransaction.requiringNew().run(() -> {
            WebhookDeliveryEntity d = WebhookDeliveryEntity.find("id", c.deliveryId()).firstResult();
            if (d == null || !WebhookDeliveryEntity.PENDING.equals(d.status)) {
                return;
            }
            Instant now = clock.instant();
            d.attempts++;
            d.lastStatusCode = outcome.statusCode();
            d.lastError = outcome.error();
            var attempt = new WebhookAttemptEntity();
            attempt.deliveryId = d.id;
            attempt.endpointId = d.endpointId;
            attempt.attempt = d.attempts;
            attempt.attemptedAt = attemptedAt;
            attempt.statusCode = outcome.statusCode();
            attempt.error = outcome.error();
            attempt.latencyMs = outcome.latencyMillis();
            attempt.persist();
            if (outcome.success()) {
                d.status = WebhookDeliveryEntity.DELIVERED;
                d.deliveredAt = now;
                em.createNativeQuery("""
                        update webhook_endpoint set consecutive_failures = 0, failing_alerted = false
                        where id = :id and (consecutive_failures <> 0 or failing_alerted)""")
                        .setParameter("id", d.endpointId).executeUpdate();
                return;
            }
            Integer status = outcome.statusCode();
            if (status != null && status == 410) {
                em.createNativeQuery("""
                        update webhook_endpoint set enabled = false, disabled_reason = 'GONE', updated_at = :now, version = version + 1
                        where id = :id and enabled""")
                        .setParameter("now", now).setParameter("id", d.endpointId).executeUpdate();
                LOG.infof("webhook endpoint %s answered 410 Gone and is disabled", d.endpointId);
            }
            Optional<Duration> wait = schedule.waitAfter(d.attempts);
            if (wait.isPresent() && status != null && (status == 429 || status == 503)) {
                Optional<Duration> asked = RetryAfter.parse(outcome.retryAfter(), now);
                if (asked.isPresent()) {
                    wait = asked;
                }
            }
            Object[] counters = (Object[]) em.createNativeQuery("""
                    update webhook_endpoint set consecutive_failures = consecutive_failures + 1
                    where id = :id returning organisation_id, alert_email, consecutive_failures""")
                    .setParameter("id", d.endpointId).getSingleResult();
            UUID organisationId = (UUID) counters[0];
            String alertEmail = (String) counters[1];
            int failures = ((Number) counters[2]).intValue();
            if (wait.isPresent()) {
                d.nextAttemptAt = now.plus(wait.get());
            } else {
                d.status = WebhookDeliveryEntity.DEAD;
                d.deadAt = now;
                meters.counter("tandem.webhook.dead_letters").increment();
                if (organisationId != null) {
                    alerts.toOrganisation(AlertKind.DELIVERY_DEAD_LETTERED, organisationId, Map.of(
                            "endpointId", d.endpointId.toString(), "deliveryId", d.id.toString(), "eventType", d.eventType,
                            "attempts", d.attempts), alertEmail);
                }
            }
            if (failures >= failingAfter && organisationId != null && em.createNativeQuery("""
                    update webhook_endpoint set failing_alerted = true where id = :id and not failing_alerted""")
                    .setParameter("id", d.endpointId).executeUpdate() == 1) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("endpointId", d.endpointId.toString());
                data.put("organisationId", organisationId.toString());
                data.put("consecutiveFailures", failures);
                data.put("lastStatusCode", status);
                alerts.toCoordinators(AlertKind.DELIVERY_FAILING, data);
                queue.enqueue(queue.networkEndpoints(WebhookEventType.ENDPOINT_FAILING), WebhookEventType.ENDPOINT_FAILING,
                        UUID.randomUUID().toString(), "endpoint:" + d.endpointId,
                        queue.payload(WebhookEventType.ENDPOINT_FAILING, now, data));
            }
        });
    }

    /** For tests: a schedule with a known random source. */
    void useSchedule(RetrySchedule schedule) {
        this.schedule = schedule;
    }
}
