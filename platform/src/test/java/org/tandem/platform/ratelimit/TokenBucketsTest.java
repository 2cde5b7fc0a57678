package org.tandem.platform.ratelimit;

import java.time.Duration;
import java.util.OptionalLong;

import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate limiter's buckets with a clock the test moves: no sleeping, no timing. */
class TokenBucketsTest {

    /** A clock that moves only when the test says so. */
    static final class ManualTime implements TimeMeter {
        long nanos;

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        void advance(Duration d) {
            nanos += d.toNanos();
        }
    }

    @Test
    void a_burst_passes_and_the_next_request_is_told_how_long_to_wait() {
        var time = new ManualTime();
        var buckets = new TokenBuckets(3, 1, 100, time);
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.take("org-a")).isEmpty();
        }
        assertThat(buckets.take("org-a")).isPresent();
    }

    @Test
    void the_bucket_refills_at_the_configured_rate() {
        var time = new ManualTime();
        var buckets = new TokenBuckets(2, 2, 100, time);
        buckets.take("org-a");
        buckets.take("org-a");
        assertThat(buckets.take("org-a")).isPresent();
        time.advance(Duration.ofMillis(500)); // one token at 2 per second
        assertThat(buckets.take("org-a")).isEmpty();
        assertThat(buckets.take("org-a")).isPresent();
    }

    @Test
    void the_wait_is_in_whole_seconds_and_never_too_early() {
        var time = new ManualTime();
        var fast = new TokenBuckets(1, 4, 100, time);
        fast.take("a");
        assertThat(fast.take("a")).isEqualTo(OptionalLong.of(1)); // 250 ms away: 1 s
        var slow = new TokenBuckets(1, 1, 100, time);
        slow.take("b");
        time.advance(Duration.ofMillis(300));
        assertThat(slow.take("b")).isEqualTo(OptionalLong.of(1)); // 700 ms away: 1 s
        var slower = new TokenBuckets(1, 1, 100, time);
        slower.take("c");
        assertThat(slower.take("c")).isEqualTo(OptionalLong.of(2)); // exactly 1 s away: rounded up past it
    }

    @Test
    void one_organisation_cannot_spend_another_organisations_budget() {
        var buckets = new TokenBuckets(1, 1, 100, new ManualTime());
        assertThat(buckets.take("org-a")).isEmpty();
        assertThat(buckets.take("org-a")).isPresent();
        assertThat(buckets.take("org-b")).isEmpty();
    }

    @Test
    void memory_is_bounded_and_a_reset_only_grants_more() {
        var buckets = new TokenBuckets(1, 1, 3, new ManualTime());
        assertThat(buckets.take("org-a")).isEmpty();
        assertThat(buckets.take("org-a")).isPresent();
        for (int i = 0; i < 5; i++) {
            buckets.take("other-" + i);
        }
        assertThat(buckets.tracked()).isLessThanOrEqualTo(4);
        // org-a's bucket was dropped with the others: it starts full again, never emptier
        assertThat(buckets.take("org-a")).isEmpty();
    }
}
