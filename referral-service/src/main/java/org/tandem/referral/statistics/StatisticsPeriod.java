package org.tandem.referral.statistics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fixed statistics period in UTC: a calendar month ({@code 2026-11}), a quarter ({@code 2026-Q4}) or a
 * year ({@code 2026}). There are no other periods on purpose: two arbitrary instants one referral apart
 * would isolate that referral (docs/privacy.md).
 *
 * @param firstMonth 1..12
 * @param months 1 (month), 3 (quarter) or 12 (year)
 */
public record StatisticsPeriod(int year, int firstMonth, int months) {

    public static final int MIN_YEAR = 2000;
    public static final int MAX_YEAR = 2999;
    private static final Pattern FORM = Pattern.compile("(\\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])))?");

    public StatisticsPeriod {
        if (year < MIN_YEAR
                || year > MAX_YEAR
                || !(months == 1 || months == 3 || months == 12)
                || firstMonth < 1
                || firstMonth + months - 1 > 12
                || (firstMonth - 1) % months != 0) {
            throw new IllegalArgumentException("not a calendar month, quarter or year");
        }
    }

    /** @return the period, or null when {@code text} is not one of the three forms or its year is out of range */
    public static StatisticsPeriod parse(String text) {
        if (text == null || text.length() > 7) {
            return null;
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int year = Integer.parseInt(m.group(1));
        if (year < MIN_YEAR || year > MAX_YEAR) {
            return null;
        }
        if (m.group(2) != null) {
            return new StatisticsPeriod(year, Integer.parseInt(m.group(2)), 1);
        }
        if (m.group(3) != null) {
            return new StatisticsPeriod(year, (Integer.parseInt(m.group(3)) - 1) * 3 + 1, 3);
        }
        return new StatisticsPeriod(year, 1, 12);
    }

    public static StatisticsPeriod yearOf(Instant at) {
        return new StatisticsPeriod(LocalDate.ofInstant(at, ZoneOffset.UTC).getYear(), 1, 12);
    }

    public Instant start() {
        return LocalDate.of(year, firstMonth, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Exclusive. */
    public Instant end() {
        return LocalDate.of(year, firstMonth, 1)
                .plusMonths(months)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
    }

    public int lastMonth() {
        return firstMonth + months - 1;
    }

    @Override
    public String toString() {
        return switch (months) {
            case 1 -> "%04d-%02d".formatted(year, firstMonth);
            case 3 -> "%04d-Q%d".formatted(year, (firstMonth - 1) / 3 + 1);
            default -> "%04d".formatted(year);
        };
    }
}
