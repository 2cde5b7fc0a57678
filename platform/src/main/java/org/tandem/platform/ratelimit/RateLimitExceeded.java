package org.tandem.platform.ratelimit;

import org.tandem.platform.problem.Problem;
import org.tandem.platform.problem.ProblemException;

/** 429 with the number of seconds to wait, sent as {@code Retry-After}. */
public class RateLimitExceeded extends ProblemException {

    private final long retryAfterSeconds;

    public RateLimitExceeded(long retryAfterSeconds) {
        super(Problem.of(429, "rate-limited", "Too many requests",
                "Your organisation sent more requests than Tandem accepts at once. Retry after " + retryAfterSeconds + " s."));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
