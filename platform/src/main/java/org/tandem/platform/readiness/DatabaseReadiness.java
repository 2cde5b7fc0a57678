package org.tandem.platform.readiness;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The database check of readiness, answered without a worker thread and without a connection of the pool.
 *
 * <p>Quarkus's own check ({@code quarkus.datasource.health.enabled}, off in platform
 * {@code microprofile-config.properties}) takes a connection from the pool on a worker thread. Under overload both
 * are taken by the requests, so its probe waited behind them and failed: an instance that was serving at full tilt
 * said not ready, and with every instance so loaded Kubernetes would take them all out of the Service
 * (docs/operations.md, "Probes under load"). This check asks whether the database accepts a new connection and
 * answers on it, with the driver itself and the data source's address and credentials, outside the pool (Agroal's
 * {@code isHealthy(true)} adds the new connection to the pool, which then stayed at its maximum and replaced a
 * connection every five seconds), on a thread of its own, at most once per
 * {@link #FRESH}: a probe is answered from the last result while it is that young, and otherwise starts a new check
 * and waits for it up to {@link #PROBE_WAIT}. A check that has been under way for longer than {@link #HUNG} (a
 * database that accepts the connection but never answers) says DOWN.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {

    static final String NAME = "Database connections health check";
    /** How long a result answers the probes: one new connection per five seconds at most. */
    static final Duration FRESH = Duration.ofSeconds(5);
    /** How long a probe waits for a check under way; a Kubernetes probe's default timeout is one second. */
    static final Duration PROBE_WAIT = Duration.ofMillis(800);
    /** A check under way for this long means the database does not answer. */
    static final Duration HUNG = Duration.ofSeconds(10);

    /** One check's result, and when it ended (System.nanoTime). */
    record Result(boolean healthy, String detail, long endedAt) {}

    /** Whether the database accepts a new connection and answers on it. */
    @FunctionalInterface
    interface Check {
        boolean databaseAnswers() throws Exception;
    }

    /** The check under way, and when it began. */
    private record Running(CompletableFuture<Result> result, long beganAt) {}

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> url;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "database-readiness");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Result> last = new AtomicReference<>();
    /** The latest check begun; guarded by this object. Once done, its result is in {@link #last}. */
    private Running latest;

    @Override
    public Uni<HealthCheckResponse> call() {
        if (url.isEmpty()) { // a service without a database
            return Uni.createFrom().item(HealthCheckResponse.up(NAME));
        }
        return Uni.createFrom().completionStage(answer(this::connects));
    }

    /** A connection of its own, closed at once: the pool's connections are the requests'. */
    private boolean connects() throws SQLException {
        Properties p = new Properties();
        user.ifPresent(u -> p.setProperty("user", u));
        password.ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("ApplicationName", "tandem-readiness");
        // seconds; a database that accepts the connection but never answers is reported by HUNG meanwhile
        p.setProperty("connectTimeout", "5");
        p.setProperty("loginTimeout", "5");
        p.setProperty("socketTimeout", "10");
        try (Connection c = new org.postgresql.Driver().connect(url.get(), p)) {
            return c != null && c.isValid(5);
        }
    }

    /** The answer to one probe, completed on the checker's thread or the JDK's timer thread, never a worker's. */
    CompletableFuture<HealthCheckResponse> answer(Check check) {
        Result known = last.get();
        if (known != null && System.nanoTime() - known.endedAt() < FRESH.toNanos()) {
            return CompletableFuture.completedFuture(response(known));
        }
        Running underWay = underWayOrBegun(check);
        return underWay.result()
                .thenApply(this::response)
                .completeOnTimeout(null, PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(answered -> answered != null ? answered : whileUnderWay(underWay));
    }

    /** The check under way, or a new one: one at a time, however many probes come together. */
    private synchronized Running underWayOrBegun(Check check) {
        if (latest == null || latest.result().isDone()) {
            latest = begin(check, System.nanoTime());
        }
        return latest;
    }

    private Running begin(Check check, long now) {
        CompletableFuture<Result> result = CompletableFuture.supplyAsync(
                () -> {
                    Result r;
                    try {
                        boolean healthy = check.databaseAnswers();
                        r = new Result(healthy, healthy ? "UP" : "DOWN", System.nanoTime());
                    } catch (Exception e) {
                        r = new Result(false, "DOWN - " + e.getClass().getSimpleName(), System.nanoTime());
                    }
                    last.set(r); // before the probes waiting on this check see it done
                    return r;
                },
                checker);
        return new Running(result, now);
    }

    /** No answer within the probe's wait: the last result stands until the check has hung for {@link #HUNG}. */
    private HealthCheckResponse whileUnderWay(Running check) {
        long underWay = System.nanoTime() - check.beganAt();
        Result known = last.get();
        if (known == null || underWay > HUNG.toNanos()) {
            return HealthCheckResponse.named(NAME)
                    .down()
                    .withData("<default>", "no answer for " + TimeUnit.NANOSECONDS.toMillis(underWay) + " ms")
                    .build();
        }
        return response(known);
    }

    private HealthCheckResponse response(Result r) {
        return HealthCheckResponse.named(NAME)
                .status(r.healthy())
                .withData("<default>", r.detail())
                .build();
    }

    @PreDestroy
    void stop() {
        checker.shutdownNow();
    }
}
