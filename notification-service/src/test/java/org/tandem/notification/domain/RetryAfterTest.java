package org.tandem.notification.domain;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    final Instant now = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void reads_seconds_and_http_dates_and_bounds_them() {
        assertThat(RetryAfter.parse("120", now)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("Thu, 26 Nov 2026 10:10:00 GMT", now)).contains(Duration.ofMinutes(10));
        assertThat(RetryAfter.parse("Thu, 26 Nov 2026 09:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("99999999999", now)).contains(RetryAfter.MAX);
        assertThat(RetryAfter.parse("soon", now)).isEmpty();
        assertThat(RetryAfter.parse(null, now)).isEmpty();
        assertThat(RetryAfter.parse("-5", now)).isEmpty();
    }
}
