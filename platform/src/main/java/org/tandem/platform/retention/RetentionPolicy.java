package org.tandem.platform.retention;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.tandem.events.TopicRetention;

/**
 * The retention policy: one ISO-8601 period for each {@link RetentionKind}, read from configuration with the
 * kind's default, and checked as a whole (docs/retention.md). Immutable.
 */
public final class RetentionPolicy {

    /** No period may be longer than this: every input has a limit. */
    static final Period LONGEST = Period.ofYears(30);

    private static final LocalDate REFERENCE = LocalDate.of(2000, 1, 1);

    private final Map<RetentionKind, Period> periods;

    private RetentionPolicy(Map<RetentionKind, Period> periods) {
        this.periods = periods;
    }

    /** The defaults, which are valid ({@code RetentionPolicyTest}). */
    public static RetentionPolicy defaults() {
        return of(name -> Optional.empty());
    }

    /**
     * The policy from configuration ({@code config} answers a property's value, if set).
     *
     * @throws InvalidRetentionPolicy naming every property that is wrong and why
     */
    public static RetentionPolicy of(Function<String, Optional<String>> config) {
        Map<RetentionKind, Period> periods = new EnumMap<>(RetentionKind.class);
        List<String> problems = new ArrayList<>();
        for (RetentionKind kind : RetentionKind.values()) {
            String value = config.apply(kind.property())
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .orElse(kind.defaultPeriod());
            try {
                Period p = Period.parse(value);
                if (p.isNegative() || p.getYears() < 0 || p.getMonths() < 0 || p.getDays() < 0) {
                    problems.add(kind.property() + " must not be negative");
                } else if (p.isZero() && kind != RetentionKind.CASE_FILE_CONSENT_EXPIRED) {
                    problems.add(kind.property() + " must be longer than zero");
                } else if (longer(p, LONGEST)) {
                    problems.add(kind.property() + " must be at most " + LONGEST);
                } else if (kind.isTopic()) {
                    TopicRetention.millis(value);
                    periods.put(kind, p);
                } else {
                    periods.put(kind, p);
                }
            } catch (DateTimeParseException e) {
                problems.add(kind.property() + " must be an ISO-8601 period such as P30D, P1Y or P6M");
            } catch (IllegalArgumentException e) {
                problems.add(kind.property() + " "
                        + e.getMessage().replaceFirst("^a topic's retention", "as a topic's retention"));
            }
        }
        if (problems.isEmpty()) {
            requireNotLonger(
                    periods,
                    RetentionKind.CASE_FILE_COMPLETED,
                    RetentionKind.REFERRAL_PERSONAL_DATA,
                    problems,
                    "a case file must not outlive the personal data of its referral");
            requireNotLonger(
                    periods,
                    RetentionKind.REFERRAL_PERSONAL_DATA,
                    RetentionKind.CONSENT_RECORD,
                    problems,
                    "the consent record is the proof of what was transferred and must outlive the referral's personal data");
        }
        if (!problems.isEmpty()) {
            throw new InvalidRetentionPolicy(problems);
        }
        return new RetentionPolicy(Map.copyOf(periods));
    }

    private static void requireNotLonger(
            Map<RetentionKind, Period> periods,
            RetentionKind shorter,
            RetentionKind longer,
            List<String> problems,
            String why) {
        if (longer(periods.get(shorter), periods.get(longer))) {
            problems.add(shorter.property() + " (" + periods.get(shorter) + ") must not be longer than "
                    + longer.property() + " (" + periods.get(longer) + "): " + why);
        }
    }

    private static boolean longer(Period a, Period b) {
        return REFERENCE.plus(a).isAfter(REFERENCE.plus(b));
    }

    public Period period(RetentionKind kind) {
        return periods.get(kind);
    }

    /** The instant before which a record of {@code kind} is past its period, at {@code now} (UTC calendar). */
    public Instant cutoff(RetentionKind kind, Instant now) {
        return now.atZone(ZoneOffset.UTC).minus(periods.get(kind)).toInstant();
    }

    /** A policy that is not valid: the message names each property and what is wrong with it. */
    public static final class InvalidRetentionPolicy extends IllegalArgumentException {
        private final List<String> problems;

        InvalidRetentionPolicy(List<String> problems) {
            super("Refusing to start: the retention policy is not valid: " + String.join("; ", problems)
                    + " (docs/retention.md).");
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
