package org.tandem.platform.inbox;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.tandem.platform.problem.SafeThrowables;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.Guard;

/**
 * Runs a Kafka consumer's effect (its {@link Inbox} record and what the event changes) in a transaction of
 * its own and, when that fails, runs it again with exponential back-off until it succeeds.
 *
 * <p>Why: when an {@code @Incoming} method throws, SmallRye's Kafka connector stops the channel for good
 * (fail-stop) and the service consumes nothing more until it is restarted, while it still answers HTTP.
 * The long fault run found exactly that after a PostgreSQL restart. Skipping the record instead would lose
 * an effect. Retrying in place loses nothing and keeps the partition's order; the Inbox makes a retry of
 * an effect that did commit harmless. A record that can never be applied holds its partition up loudly
 * (a warning per attempt and the {@code tandem.consumer.retries} counter) rather than being dropped.
 */
@ApplicationScoped
public class ConsumerTransaction {

    private static final Logger LOG = Logger.getLogger(ConsumerTransaction.class);

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "tandem.consumer.retry.initial-delay", defaultValue = "PT0.2S")
    Duration initialDelay;

    @ConfigProperty(name = "tandem.consumer.retry.max-delay", defaultValue = "PT15S")
    Duration maxDelay;

    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    /** Runs {@code effect} for {@code consumer} in a new transaction, retrying until it commits. */
    public void run(String consumer, Runnable effect) {
        try {
            guard(consumer).call(() -> {
                QuarkusTransaction.requiringNew().run(effect);
                return null;
            }, Void.class);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Guard guard(String consumer) {
        return guards.computeIfAbsent(consumer, name -> Guard.create()
                .withRetry()
                .maxRetries(-1)
                .maxDuration(3650, ChronoUnit.DAYS)
                .delay(initialDelay.toMillis(), ChronoUnit.MILLIS)
                .jitter(initialDelay.toMillis() / 2, ChronoUnit.MILLIS)
                // an interrupted thread means the service is stopping: give the record back unacknowledged
                .whenException(e -> !(e instanceof InterruptedException) && !Thread.currentThread().isInterrupted())
                .withExponentialBackoff().factor(2).maxDelay(maxDelay.toMillis(), ChronoUnit.MILLIS).done()
                .beforeRetry(e -> {
                    meters.counter("tandem.consumer.retries", "consumer", name).increment();
                    LOG.warnf("consumer %s could not apply an event, retrying: %s", name, SafeThrowables.describe(e));
                })
                .done()
                .build());
    }
}
