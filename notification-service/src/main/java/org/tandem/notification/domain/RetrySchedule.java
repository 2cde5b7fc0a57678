package org.tandem.notification.domain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a webhook again, after the Standard Webhooks schedule: immediately, then 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h (about three days in all). Each wait gets up to 10 % of
 * jitter, so that many endpoints recovering at once are not hit in lockstep.
 */
public final class RetrySchedule {

    public static final List<Duration> WAITS = List.of(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(14),
            Duration.ofHours(20),
            Duration.ofHours(24));

    /** Attempts in all: the immediate one and one after each wait. */
    public static final int MAX_ATTEMPTS = WAITS.size() + 1;

    private final RandomGenerator random;

    public RetrySchedule(RandomGenerator random) {
        this.random = random;
    }

    /**
     * The wait before the next attempt after {@code failedAttempts} failures, or empty when the delivery
     * has had all its attempts and goes to the dead letters.
     */
    public Optional<Duration> waitAfter(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be at least 1");
        }
        if (failedAttempts > WAITS.size()) {
            return Optional.empty();
        }
        Duration base = WAITS.get(failedAttempts - 1);
        long jitterMillis = (long) (base.toMillis() * 0.1 * random.nextDouble());
        return Optional.of(base.plusMillis(jitterMillis));
    }
}
