package org.tandem.notification.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** A {@code Retry-After} header (delay in seconds, or an HTTP date), bounded to a day. */
public final class RetryAfter {

    public static final Duration MAX = Duration.ofHours(24);

    private RetryAfter() {}

    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank() || header.length() > 64) {
            return Optional.empty();
        }
        String value = header.trim();
        Duration wait;
        if (value.chars().allMatch(Character::isDigit)) {
            wait = value.length() > 9 ? MAX : Duration.ofSeconds(Long.parseLong(value));
        } else {
            try {
                wait = Duration.between(
                        now,
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return Optional.of(wait.compareTo(MAX) > 0 ? MAX : wait);
    }
}
