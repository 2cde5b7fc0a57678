package org.tandem.platform.retry;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.smallrye.faulttolerance.api.Guard;

/**
 * A SmallRye Fault Tolerance guard that retries a failed call until it succeeds, with exponential back-off
 * from {@code first} (with half of it as jitter) up to {@code max}: for work that must not be skipped, such as
 * applying a consumed event. It gives up only on failures {@code retryable} rejects, or when the thread is
 * interrupted (the service is stopping; the work stays undone and will be redone).
 */
public final class RetryForever {

    private RetryForever() {}

    public static Guard guard(
            Duration first, Duration max, Predicate<Throwable> retryable, Consumer<Throwable> beforeRetry) {
        return Guard.create()
                .withRetry()
                .maxRetries(-1)
                .maxDuration(3650, ChronoUnit.DAYS)
                .delay(first.toMillis(), ChronoUnit.MILLIS)
                .jitter(first.toMillis() / 2, ChronoUnit.MILLIS)
                .whenException(e -> retryable.test(e)
                        && !(e instanceof InterruptedException)
                        && !Thread.currentThread().isInterrupted())
                .withExponentialBackoff()
                .factor(2)
                .maxDelay(max.toMillis(), ChronoUnit.MILLIS)
                .done()
                .beforeRetry(beforeRetry)
                .done()
                .build();
    }
}
