package org.tandem.notification.delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.tandem.notification.domain.RetrySchedule;
import org.tandem.notification.persistence.WebhookDeliveryEntity;
import org.tandem.platform.problem.SafeThrowables;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Sends stored deliveries. A delivery is claimed by pushing its next-attempt time past the request
 * timeout (a lease) and committing, then sent, then its result is stored; a crash mid-flight leaves the
 * lease to expire and the delivery is sent again with the same {@code webhook-id}. A delivery waits while
 * an earlier delivery of the same referral to the same endpoint is still pending, so that each endpoint
 * sees a referral's events in order even while one of them is being retried.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @ConfigProperty(name = "tandem.webhooks.timeout", defaultValue = "PT15S")
    Duration timeout;

    @ConfigProperty(name = "tandem.webhooks.workers", defaultValue = "8")
    int workers;

    @ConfigProperty(name = "tandem.webhooks.poll-interval", defaultValue = "PT1S")
    Duration pollInterval;

    @ConfigProperty(name = "tandem.webhooks.enabled", defaultValue = "true")
    boolean enabled;

    private final RetrySchedule schedule = new RetrySchedule(new SecureRandom());
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private ExecutorService loop;
    private ExecutorService senders;
    private HttpClient http;

    void start(@Observes StartupEvent e) {
        if (!enabled) {
            return;
        }
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        senders = Executors.newFixedThreadPool(workers, WebhookDispatcher::daemon);
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

    private void run() {
        while (running) {
            try {
                int sent = dispatchOnce();
                if (sent == 0) {
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

    /** Claims due deliveries, sends them in parallel and records the results. Returns how many were sent. */
    public int dispatchOnce() throws InterruptedException {
        List<Claimed> claimed = claim(workers * 4);
        List<Future<?>> inFlight = new java.util.ArrayList<>();
        for (Claimed c : claimed) {
            inFlight.add(senders.submit(() -> deliver(c)));
        }
        for (Future<?> f : inFlight) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException ex) {
                LOG.warnf("webhook delivery task failed: %s", SafeThrowables.describe(ex.getCause()));
            }
        }
        return claimed.size();
    }

    record Claimed(UUID deliveryId, String url, String secret, String payload) {
    }

    private List<Claimed> claim(int max) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                    select d.id, e.url, e.secret, d.payload from webhook_delivery d
                    join webhook_endpoint e on e.id = d.endpoint_id
                    where d.status = 'PENDING' and d.next_attempt_at <= :now and e.enabled
                      and not exists (select 1 from webhook_delivery p
                                      where p.endpoint_id = d.endpoint_id and p.ordering_key = d.ordering_key
                                        and p.status = 'PENDING' and p.seq < d.seq)
                    order by d.next_attempt_at, d.seq
                    limit :max
                    for update of d skip locked""")
                    .setParameter("now", now).setParameter("max", max).getResultList();
            Instant leaseUntil = now.plus(timeout).plusSeconds(30);
            for (Object[] r : rows) {
                em.createNativeQuery("update webhook_delivery set next_attempt_at = :lease where id = :id")
                        .setParameter("lease", leaseUntil).setParameter("id", r[0]).executeUpdate();
            }
            return rows.stream().map(r -> new Claimed((UUID) r[0], (String) r[1], (String) r[2], (String) r[3])).toList();
        });
    }

    private void deliver(Claimed c) {
        long timestamp = clock.instant().getEpochSecond();
        Integer status = null;
        String error = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(c.url()))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Tandem-Webhooks/1")
                    .header("webhook-id", c.deliveryId().toString())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", WebhookSigner.sign(c.secret(), c.deliveryId().toString(), timestamp, c.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(c.payload())).build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
        } catch (java.net.http.HttpTimeoutException ex) {
            error = "timeout";
        } catch (java.io.IOException ex) {
            error = "connection failed: " + ex.getClass().getSimpleName();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException ex) {
            error = "request failed: " + ex.getClass().getSimpleName();
        }
        record(c.deliveryId(), status, error);
    }

    private void record(UUID deliveryId, Integer status, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            WebhookDeliveryEntity d = WebhookDeliveryEntity.find("id", deliveryId).firstResult();
            if (d == null || !WebhookDeliveryEntity.PENDING.equals(d.status)) {
                return;
            }
            Instant now = clock.instant();
            d.attempts++;
            d.lastStatusCode = status;
            d.lastError = error;
            if (status != null && status >= 200 && status < 300) {
                d.status = WebhookDeliveryEntity.DELIVERED;
                d.deliveredAt = now;
                return;
            }
            var wait = schedule.waitAfter(d.attempts);
            if (wait.isPresent()) {
                d.nextAttemptAt = now.plus(wait.get());
            } else {
                d.status = WebhookDeliveryEntity.DEAD;
            }
        });
    }
}
