package org.tandem.referral.statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.tandem.referral.statistics.DisclosureControl.Layout;

/**
 * The five tables of one year as the attack tests see them: status × urgency (0), status × age (1),
 * sender × receiver country (2), status × stage (3), all four counting the same referrals, and pathways by
 * their number of referrals (4), counting pathways in the month of their first referral; with the true count
 * of every cell in every month, and the checks the attack tests make on what the attacker can work out.
 */
final class Tables {

    static final int URGENCY = 0;
    static final int AGE = 1;
    static final int FLOW = 2;
    static final int STAGE = 3;
    static final int PATHWAY = 4;
    static final int STATUSES = 8;
    static final int URGENCIES = 3;
    static final int AGES = 4;
    static final int STAGES = 5;
    /** ONE, TWO, THREE, FOUR_OR_MORE referrals */
    static final int LENGTHS = 4;

    /** Every period that can be asked for: the twelve months, the four quarters, the year (first, last month). */
    static final List<int[]> PERIODS = new ArrayList<>();

    static {
        for (int m = 1; m <= 12; m++) {
            PERIODS.add(new int[] {m, m});
        }
        for (int q = 0; q < 4; q++) {
            PERIODS.add(new int[] {q * 3 + 1, q * 3 + 3});
        }
        PERIODS.add(new int[] {1, 12});
    }

    final int countries;
    final long[][][] counts;

    Tables(int countries) {
        this.countries = countries;
        this.counts = new long[][][] {
            new long[12][STATUSES * URGENCIES],
            new long[12][STATUSES * AGES],
            new long[12][countries * countries],
            new long[12][STATUSES * STAGES],
            new long[12][LENGTHS]
        };
    }

    /** One referral submitted in {@code month} (1-based). */
    void add(int month, int status, int urgency, int age, int stage, int sender, int receiver) {
        counts[URGENCY][month - 1][status * URGENCIES + urgency]++;
        counts[AGE][month - 1][status * AGES + age]++;
        counts[FLOW][month - 1][sender * countries + receiver]++;
        counts[STAGE][month - 1][status * STAGES + stage]++;
    }

    /**
     * One pathway whose first referral was submitted in {@code month} (1-based), of {@code referrals} submitted
     * referrals now. That first referral must have been added with {@link #add} in the same month.
     */
    void addPathway(int month, int referrals) {
        counts[PATHWAY][month - 1][Math.min(referrals, LENGTHS) - 1]++;
    }

    int tables() {
        return counts.length;
    }

    /**
     * The layouts CoordinatorViews gives DisclosureControl: status rows shared by urgency, age and stage, one row
     * of pairs, one row of pathway lengths.
     */
    List<Layout> layouts() {
        return List.of(
                new Layout(rows(STATUSES, URGENCIES), "status"),
                new Layout(rows(STATUSES, AGES), "status"),
                new Layout(List.of(IntStream.range(0, countries * countries).toArray()), null),
                new Layout(rows(STATUSES, STAGES), "status"),
                new Layout(rows(1, LENGTHS), null));
    }

    int cells(int table) {
        return counts[table][0].length;
    }

    long truth(int table, int first, int last, int cell) {
        long n = 0;
        for (int m = first; m <= last; m++) {
            n += counts[table][m - 1][cell];
        }
        return n;
    }

    /** An attacker who knows how the tables hang together, before seeing any figure. */
    Attacker attacker() {
        Attacker a = new Attacker(cells(URGENCY), cells(AGE), cells(FLOW), cells(STAGE), cells(PATHWAY));
        for (int s = 0; s < STATUSES; s++) {
            a.sameReferrals(URGENCY, range(s * URGENCIES, URGENCIES), AGE, range(s * AGES, AGES));
            a.sameReferrals(URGENCY, range(s * URGENCIES, URGENCIES), STAGE, range(s * STAGES, STAGES));
        }
        a.sameReferrals(URGENCY, range(0, cells(URGENCY)), FLOW, range(0, cells(FLOW)));
        // every pathway counted in a month has its first referral among that month's referrals
        a.atMost(PATHWAY, range(0, cells(PATHWAY)), URGENCY, range(0, cells(URGENCY)));
        // the flow table lists the countries that sent or received a referral in the year: each did at least once
        for (int c = 0; c < countries; c++) {
            final int country = c;
            int[] involving = IntStream.range(0, cells(FLOW))
                    .filter(i -> i / countries == country || i % countries == country)
                    .toArray();
            if (truth(FLOW, 1, 12, involving) > 0) {
                a.yearAtLeast(FLOW, involving, 1);
            }
        }
        return a;
    }

    private long truth(int table, int first, int last, int[] cellsOfTable) {
        long n = 0;
        for (int c : cellsOfTable) {
            n += truth(table, first, last, c);
        }
        return n;
    }

    /**
     * Every cell whose true count over a period is 1 to threshold-1 and that the attacker can pin down: published
     * as a number, or left an interval [low, high] with high under threshold-1 (the attacker could tell the
     * group is smaller than a group of threshold-1 can be) or low = high (its count known). A lower bound is
     * not a disclosure: "suppressed" already says "at least 1", as zeros are published, and "at least 2" says
     * less about one woman than that (docs/privacy.md).
     */
    List<String> disclosed(Attacker attacker, int threshold, Published published) {
        List<String> out = new ArrayList<>();
        for (int t = 0; t < tables(); t++) {
            for (int[] p : PERIODS) {
                for (int c = 0; c < cells(t); c++) {
                    long truth = truth(t, p[0], p[1], c);
                    if (truth < 1 || truth >= threshold) {
                        continue;
                    }
                    String where = "table %d, months %d-%d, cell %d (true %d)".formatted(t, p[0], p[1], c, truth);
                    if (published.value(t, p[0], p[1], c) != null) {
                        out.add(where + " published");
                        continue;
                    }
                    long[] b = attacker.bounds(t, p[0], p[1], c);
                    if (b[0] > truth || b[1] < truth) {
                        throw new AssertionError(
                                where + ": the attacker's interval " + b[0] + ".." + b[1] + " misses the truth");
                    }
                    if (b[1] < threshold - 1 || b[0] == b[1]) {
                        out.add(where + " narrowed to " + b[0] + ".." + (b[1] == Attacker.UNBOUNDED ? "∞" : b[1]));
                    }
                }
            }
        }
        return out;
    }

    /** The number published for a cell over a period, or null. */
    interface Published {
        Long value(int table, int first, int last, int cell);
    }

    /**
     * Feeds every published number of every period and table to the attacker, and what a suppressed cell
     * says: zeros are published, so a suppressed cell holds at least 1.
     */
    void tell(Attacker attacker, Published published) {
        for (int t = 0; t < tables(); t++) {
            for (int[] p : PERIODS) {
                for (int c = 0; c < cells(t); c++) {
                    Long v = published.value(t, p[0], p[1], c);
                    if (v != null) {
                        attacker.published(t, p[0], p[1], c, v);
                    } else {
                        attacker.between(t, p[0], p[1], c, 1, Attacker.UNBOUNDED);
                    }
                }
            }
        }
    }

    private static int[] range(int from, int n) {
        return IntStream.range(from, from + n).toArray();
    }

    private static List<int[]> rows(int rows, int columns) {
        List<int[]> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            out.add(range(r * columns, columns));
        }
        return out;
    }
}
