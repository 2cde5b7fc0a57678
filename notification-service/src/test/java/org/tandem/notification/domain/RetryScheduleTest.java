package org.tandem.notification.domain;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryScheduleTest {

    @Test
    void follows_the_standard_webhooks_schedule_with_at_most_ten_percent_jitter() {
        var schedule = new RetrySchedule(new Random(42));
        Duration[] expected = {
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(14),
            Duration.ofHours(20),
            Duration.ofHours(24)
        };
        for (int failures = 1; failures <= expected.length; failures++) {
            Duration wait = schedule.waitAfter(failures).orElseThrow();
            assertThat(wait)
                    .isBetween(
                            expected[failures - 1], expected[failures - 1].plus(expected[failures - 1].dividedBy(10)));
        }
        assertThat(schedule.waitAfter(10)).isEmpty();
        assertThat(RetrySchedule.MAX_ATTEMPTS).isEqualTo(10);
    }

    @Test
    void the_whole_schedule_spans_about_three_days() {
        Duration total = RetrySchedule.WAITS.stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(total).isBetween(Duration.ofHours(75), Duration.ofHours(76));
    }

    @Test
    void jitter_differs_between_deliveries_so_that_retries_spread_out() {
        var schedule = new RetrySchedule(new Random(7));
        assertThat(schedule.waitAfter(3)).isNotEqualTo(schedule.waitAfter(3));
        assertThatThrownBy(() -> schedule.waitAfter(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
