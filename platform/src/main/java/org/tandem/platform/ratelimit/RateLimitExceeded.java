package org.tandem.platform.ratelimit;

import org.tandem.platform.problem.Problem;
import org.tandem.platform.problem.ProblemException;

/** 429 with the number of seconds to wait, sent as {@code Retry-After}; names the limit ({@code rate}) and its burst. */
public class RateLimitExceeded extends ProblemException {

    /** The name of this limit in problems (extension member {@code limit}). */
    public static final String LIMIT = "rate";

    private final long retryAfterSeconds;

    public RateLimitExceeded(long retryAfterSeconds, long burst, long perSecond) {
        super(Problem.of(
                        429,
                        "rate-limited",
                        "Too many requests",
                        "Your organisation sent more requests than Tandem accepts at once (limit " + LIMIT
                                + ": bursts of " + burst + " requests, refilled at " + perSecond
                                + " a second). Retry after " + retryAfterSeconds + " s.")
                .withLimit(LIMIT, burst));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
