package org.tandem.platform.inbox;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.Guard;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import org.tandem.platform.problem.SafeThrowables;
import org.tandem.platform.retry.RetryForever;

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
        guards.computeIfAbsent(consumer, this::guard)
                .get(
                        () -> {
                            QuarkusTransaction.requiringNew().run(effect);
                            return null;
                        },
                        Void.class);
    }

    private Guard guard(String consumer) {
        return RetryForever.guard(initialDelay, maxDelay, e -> true, e -> {
            meters.counter("tandem.consumer.retries", "consumer", consumer).increment();
            LOG.warnf("consumer %s could not apply an event, retrying: %s", consumer, SafeThrowables.describe(e));
        });
    }
}
