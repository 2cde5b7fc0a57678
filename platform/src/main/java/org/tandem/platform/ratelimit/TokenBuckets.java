package org.tandem.platform.ratelimit;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

/**
 * One token bucket per key: a burst of {@code burst} requests, refilled at {@code perSecond}. At most
 * {@code maxTracked} keys are tracked; past that all buckets are dropped, which only ever grants more, never less.
 * Plain Java, so that {@link RateLimitInterceptor}'s arithmetic is tested with a clock the test moves.
 */
final class TokenBuckets {

    private final long burst;
    private final long perSecond;
    private final int maxTracked;
    private final TimeMeter time;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    TokenBuckets(long burst, long perSecond, int maxTracked, TimeMeter time) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.maxTracked = maxTracked;
        this.time = time;
    }

    /** Takes one token of {@code key}'s bucket: empty when it had one, else the whole seconds to wait (at least 1). */
    OptionalLong take(String key) {
        if (buckets.size() > maxTracked) {
            buckets.clear();
        }
        Bucket bucket = buckets.computeIfAbsent(
                key,
                k -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(burst)
                                .refillGreedy(perSecond, Duration.ofSeconds(1))
                                .build())
                        .withCustomTimePrecision(time)
                        .build());
        var probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1));
    }

    int tracked() {
        return buckets.size();
    }
}
