package org.tandem.platform.ratelimit;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import io.github.bucket4j.TimeMeter;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.tandem.platform.security.Caller;

/**
 * A token bucket per organisation (or, for callers without one such as coordinators, per subject): a burst
 * of {@code tandem.rate-limit.burst} requests, refilled at {@code tandem.rate-limit.per-second}. It runs
 * after authentication and role checks, so that a forged token cannot spend another organisation's
 * budget. The buckets live in each service instance; with n instances an organisation gets up to n times
 * the rate (the limits and what sets them: docs/performance.md).
 */
@RateLimited
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 50) // before Idempotency-Key and transactions
public class RateLimitInterceptor {

    private static final int MAX_TRACKED = 100_000;

    @Inject
    Caller caller;

    @ConfigProperty(name = "tandem.rate-limit.enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "tandem.rate-limit.per-second", defaultValue = "50")
    long perSecond;

    @ConfigProperty(name = "tandem.rate-limit.burst", defaultValue = "200")
    long burst;

    private volatile TokenBuckets buckets;

    private TokenBuckets buckets() {
        TokenBuckets b = buckets;
        if (b == null) {
            synchronized (this) {
                if (buckets == null) {
                    buckets = new TokenBuckets(burst, perSecond, MAX_TRACKED, TimeMeter.SYSTEM_NANOTIME);
                }
                b = buckets;
            }
        }
        return b;
    }

    @AroundInvoke
    Object limit(InvocationContext ctx) throws Exception {
        if (!enabled || !caller.isAuthenticated()) {
            return ctx.proceed();
        }
        String key = caller.organisationId().map(Object::toString).orElseGet(() -> "subject:" + caller.subject());
        var wait = buckets().take(key);
        if (wait.isPresent()) {
            throw new RateLimitExceeded(wait.getAsLong(), burst, perSecond);
        }
        return ctx.proceed();
    }
}
