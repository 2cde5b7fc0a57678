package org.tandem.notification.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import org.tandem.notification.persistence.WebhookDeliveryRepository;
import org.tandem.platform.problem.SafeThrowables;
import org.tandem.platform.tracing.TraceParents;
import org.tandem.platform.worker.PolledWorker;

/**
 * The dispatch loop: claims due deliveries ({@link DeliveryClaimer}), signs and sends each on a worker of its own
 * ({@link WebhookSigner}, {@link WebhookSender}) and records the result ({@link AttemptRecorder}). The loop runs on
 * a {@link PolledWorker}, woken by every stored delivery and by a finished request that may have made room for more
 * (the last claim left due deliveries behind, or the request released a delivery the order rule held back), and
 * polling at {@code tandem.webhooks.poll-interval} for retries that came due. A finished request that made no room
 * does not wake it: at low rates that saved two empty claim transactions per webhook (#18).
 *
 * <p>At most {@code tandem.webhooks.workers} requests are in flight, and at most
 * {@code tandem.webhooks.per-endpoint} of them to one endpoint, so a slow endpoint occupies only its own share
 * and the others keep being served: the loop claims more work as soon as any request finishes.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    @Inject
    Tracer tracer;

    @Inject
    Clock clock;

    @Inject
    DeliveryClaimer claimer;

    @Inject
    WebhookSender sender;

    @Inject
    AttemptRecorder recorder;

    @Inject
    WebhookDeliveryRepository deliveries;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "tandem.webhooks.workers", defaultValue = "32")
    int workers;

    @ConfigProperty(name = "tandem.webhooks.per-endpoint", defaultValue = "8")
    int perEndpoint;

    @ConfigProperty(name = "tandem.webhooks.poll-interval", defaultValue = "PT1S")
    Duration pollInterval;

    /** The longest wait after failed rounds in a row (the first waits one poll interval, each further one twice as long). */
    @ConfigProperty(name = "tandem.webhooks.max-backoff", defaultValue = "PT10S")
    Duration maxBackoff;

    @ConfigProperty(name = "tandem.webhooks.enabled", defaultValue = "true")
    boolean enabled;

    /** Requests in flight per endpoint. Only the loop adds (after a claim commits); a finished request subtracts. */
    private final Map<UUID, Integer> inFlightPerEndpoint = new ConcurrentHashMap<>();

    /**
     * Whether a finished request wakes the loop whatever it released: while a claim runs (it may have read the
     * slots and shares before the request freed them), and after a claim that left due deliveries behind.
     */
    private volatile boolean wakeOnFinish = true;

    /** Pending deliveries at the last count ({@link #countPending}), -1 before the first. */
    private final AtomicLong pending = new AtomicLong(-1);

    private Counter claimsWithDeliveries;
    private Counter claimsEmpty;

    private Semaphore slots;
    private PolledWorker loop;
    private ExecutorService senders;

    void start(@Observes StartupEvent e) {
        // the value of the last count: a scrape runs on the event loop and must not query (ScrapeOnEventLoop)
        meters.gauge("tandem.webhook.deliveries.pending", pending, p -> p.get() < 0 ? Double.NaN : p.get());
        claimsWithDeliveries = meters.counter("tandem.webhook.claims", "result", "claimed");
        claimsEmpty = meters.counter("tandem.webhook.claims", "result", "empty");
        if (!enabled) {
            return;
        }
        if (perEndpoint < 1 || workers <= perEndpoint) {
            throw new IllegalStateException("tandem.webhooks.workers (" + workers + ") must be greater than"
                    + " tandem.webhooks.per-endpoint (" + perEndpoint + "), which must be at least 1:"
                    + " otherwise one slow endpoint could take every worker");
        }
        slots = new Semaphore(workers);
        senders = Executors.newFixedThreadPool(workers, r -> {
            // daemon threads, so that a service whose start failed still exits
            Thread t = new Thread(r, "webhook-send");
            t.setDaemon(true);
            return t;
        });
        // all of them now: the service's thread count is fixed from the start, whatever endpoints do later
        ((ThreadPoolExecutor) senders).prestartAllCoreThreads();
        loop = new PolledWorker(
                        "webhook-dispatch",
                        pollInterval,
                        maxBackoff.compareTo(pollInterval) < 0 ? pollInterval : maxBackoff,
                        () -> {
                            // never at once again: whatever this round left, a wake-up or the poll brings back
                            dispatchOnce();
                            return false;
                        })
                .start();
    }

    void stop(@Observes ShutdownEvent e) {
        if (loop != null) {
            loop.stop(Duration.ofSeconds(5));
            senders.shutdownNow();
        }
    }

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) DeliveriesQueued queued) {
        wakeUp();
    }

    private void wakeUp() {
        if (loop != null) {
            loop.wakeUp();
        }
    }

    /** Counts the pending deliveries for the gauge; it keeps the last count while the database cannot answer. */
    @Scheduled(
            every = "15s",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void countPending() {
        try {
            pending.set(QuarkusTransaction.requiringNew().call(deliveries::pendingCount));
        } catch (RuntimeException ex) {
            LOG.debugf("pending deliveries not counted: %s", SafeThrowables.describe(ex));
        }
    }

    /**
     * Claims as many due deliveries as there are free worker slots and starts sending them. It does not wait for
     * them: a finished request frees its slot, and wakes the loop when it may have made room for more.
     */
    void dispatchOnce() throws InterruptedException {
        int free = slots.availablePermits();
        if (free == 0) {
            // no room to claim what this round was woken for: the first request to finish wakes the loop
            wakeOnFinish = true;
            return;
        }
        wakeOnFinish = true;
        DeliveryClaimer.Claim claim = claimer.claim(free, inFlightPerEndpoint);
        wakeOnFinish = claim.leftBehind();
        (claim.deliveries().isEmpty() ? claimsEmpty : claimsWithDeliveries).increment();
        for (ClaimedDelivery c : claim.deliveries()) {
            inFlightPerEndpoint.merge(c.endpointId(), 1, Integer::sum);
            slots.acquire();
            senders.submit(() -> {
                boolean released = true; // unless the outcome was recorded and says otherwise
                try {
                    released = deliver(c);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException ex) {
                    LOG.warnf("webhook delivery %s failed: %s", c.deliveryId(), SafeThrowables.describe(ex));
                } finally {
                    inFlightPerEndpoint.computeIfPresent(c.endpointId(), (k, v) -> v <= 1 ? null : v - 1);
                    slots.release();
                    if (released || wakeOnFinish) {
                        wakeUp();
                    }
                }
            });
        }
    }

    /**
     * Signs and sends one claimed delivery, then records the outcome; returns whether that released a delivery the
     * order rule held back ({@link AttemptRecorder#record}).
     */
    private boolean deliver(ClaimedDelivery c) throws InterruptedException {
        // the attempt joins the trace of the referral change it tells; its traceparent is never sent to the partner
        Span span = tracer.spanBuilder("webhook attempt")
                .setSpanKind(SpanKind.CLIENT)
                .setParent(TraceParents.parent(c.traceParent()))
                .setAttribute("tandem.delivery.id", c.deliveryId().toString())
                .setAttribute("tandem.endpoint.id", c.endpointId().toString())
                .startSpan();
        try {
            return attempt(c, span);
        } finally {
            span.end();
        }
    }

    private boolean attempt(ClaimedDelivery c, Span span) throws InterruptedException {
        Instant attemptedAt = clock.instant();
        long timestamp = attemptedAt.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", "Tandem-Webhooks/1");
        headers.put("webhook-id", c.deliveryId().toString());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put(
                "webhook-signature",
                WebhookSigner.signatures(
                        c.secrets(), c.ed25519Key(), c.deliveryId().toString(), timestamp, c.payload()));
        WebhookSender.Outcome outcome = sender.send(c.url(), headers, c.payload());
        String result = outcome.success() ? "delivered" : outcome.connected() ? "failed" : "refused";
        span.setAttribute("tandem.webhook.outcome", result);
        if (outcome.connected()) {
            if (outcome.statusCode() != null) {
                span.setAttribute(
                        "http.response.status_code", outcome.statusCode().longValue());
            }
        }
        if (!outcome.success()) {
            span.setStatus(StatusCode.ERROR, result);
        }
        meters.counter("tandem.webhook.attempts", "result", result).increment();
        if (outcome.connected()) {
            Timer.builder("tandem.webhook.latency")
                    .publishPercentiles(0.5, 0.95, 0.99)
                    .register(meters)
                    .record(Duration.ofMillis(outcome.latencyMillis()));
        }
        return recorder.record(c, attemptedAt, outcome);
    }
}
