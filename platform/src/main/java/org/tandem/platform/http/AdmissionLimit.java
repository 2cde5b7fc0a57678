package org.tandem.platform.http;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.tandem.platform.problem.Problem;

/**
 * A limit on the API requests an instance holds at once (docs/performance.md, "Limits"): past
 * {@code tandem.http.max-in-flight}, a request to {@code /api/} is answered at once, on the event loop, with 503
 * {@code service-busy} and {@code Retry-After: 1}, before anything of it is read or done, so it can be repeated
 * as it is (with its {@code Idempotency-Key}).
 *
 * <p>Why: the worker pool has 32 threads and an unbounded queue. Under more load than the cores carry the queue
 * grew without end: responses came after 15 s, and the queued requests filled the heap (docs/performance.md, "A
 * bounded worker pool"). By Little's law the limit bounds the wait: a request is in flight from its arrival until
 * its response's head is written, so at the rate an instance serves, the limit is a bound on how long the last one
 * admitted waits. With 256 and the 250–300 transitions a second one instance served here at most, that is about a
 * second. A stream (the alerts' server-sent events) leaves the count once its head is written. Health and metrics
 * ({@code /q/}) are never refused.
 */
@ApplicationScoped
public class AdmissionLimit {

    /** The name of this limit in problems (extension member {@code limit}). */
    public static final String LIMIT = "in-flight";

    static final String RETRY_AFTER_SECONDS = "1";

    @ConfigProperty(name = "tandem.http.max-in-flight", defaultValue = "256")
    int maxInFlight;

    @Inject
    MeterRegistry meters;

    private final AtomicInteger inFlight = new AtomicInteger();
    private Counter refused;

    void install(@Observes Router router) {
        if (maxInFlight < 1) {
            throw new IllegalStateException("tandem.http.max-in-flight must be at least 1, not " + maxInFlight);
        }
        Gauge.builder("tandem.http.in.flight", inFlight, AtomicInteger::get)
                .description("API requests this instance holds: arrived, response not yet begun")
                .register(meters);
        refused = Counter.builder("tandem.http.refused.busy")
                .description("API requests answered 503 service-busy because the instance held its limit of requests")
                .register(meters);
        // after HttpErrorRoutes (an overlong address is refused as such, busy or not), before the body is read
        router.route("/api/*").order(Integer.MIN_VALUE + 1).handler(this::admit);
    }

    void admit(RoutingContext ctx) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            refused.increment();
            refuse(ctx);
            return;
        }
        AtomicBoolean left = new AtomicBoolean();
        Runnable leave = () -> {
            if (left.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        // whichever comes first: the response's head (a stream leaves the count here) or the end of the
        // exchange, which also comes when the client goes away before an answer
        ctx.addHeadersEndHandler(v -> leave.run());
        ctx.addEndHandler(ar -> leave.run());
        ctx.next();
    }

    private void refuse(RoutingContext ctx) {
        Problem problem = Problem.of(
                        503,
                        "service-busy",
                        "The service is busy",
                        "This instance is holding as many requests as it takes at once (" + maxInFlight
                                + ", limit in-flight); nothing of this one was read or changed. Try again in a moment"
                                + " (Retry-After gives the seconds).")
                .withLimit(LIMIT, maxInFlight);
        ctx.response()
                .setStatusCode(503)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Retry-After", RETRY_AFTER_SECONDS);
        if (hasBody(ctx)) {
            // the body is never read: as with a 413, the connection cannot carry another request after it
            ctx.response().putHeader("Connection", "close");
        }
        ctx.response().end(Json.encode(problem));
    }

    private static boolean hasBody(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        return ctx.request().getHeader("Transfer-Encoding") != null
                || (length != null && !length.trim().equals("0"));
    }
}
