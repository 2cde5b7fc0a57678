package org.tandem.referral.statistics;

import java.util.List;

/**
 * Cell suppression for the coordinator statistics, over one calendar year of month tables that count the
 * same referrals (docs/privacy.md has the method, the reasoning and a worked example).
 * <ol>
 * <li><b>Primary</b>: every month cell of 1 to threshold-1 (a <em>sensitive</em> cell) is suppressed. Zeros
 * are published and never suppressed, so "suppressed" means "at least 1" and nothing more.</li>
 * <li><b>Rows</b>: in every row that holds a sensitive cell, at least two cells are suppressed, and the k
 * suppressed cells add up to at least threshold+k-2; the smallest published non-zero cells of the row are
 * added until they do or none is left. Referrals can then be moved between the suppressed cells of the row
 * (each keeping at least 1), which changes no row total, no table total and nothing published, so the
 * sensitive cell can be anything from 1 to threshold-1 as far as the published figures tell.</li>
 * <li><b>Small rows</b>: where every non-zero cell of such a row is suppressed and the condition still fails,
 * referrals can only be added or removed as a whole: each other table of the month then gets a suppressed
 * cell too (in the same row where the tables share their rows).</li>
 * <li><b>Periods</b>: a quarter or year cell is published only when none of its months is suppressed, so it
 * is the sum of published figures and tells nothing new; otherwise it is suppressed.</li>
 * </ol>
 * Pure and deterministic: the same counts give the same pattern, whichever period is asked for.
 */
public final class DisclosureControl {

    /**
     * The shape of one table.
     *
     * @param rows the cells (indices) of each row; every cell in exactly one row
     * @param rowGroup tables with the same non-null group have the same rows in the same order and count the
     *            same referrals per row (status × urgency and status × age share their status rows)
     */
    public record Layout(List<int[]> rows, String rowGroup) {

        public int cells() {
            return rows.stream().mapToInt(r -> r.length).sum();
        }
    }

    private DisclosureControl() {}

    /**
     * @param counts counts[table][month 0..11][cell], the true counts
     * @return suppressed[table][month][cell]
     */
    public static boolean[][][] suppress(int threshold, List<Layout> tables, long[][][] counts) {
        boolean[][][] out = new boolean[tables.size()][12][];
        for (int month = 0; month < 12; month++) {
            for (int t = 0; t < tables.size(); t++) {
                long[] c = counts[t][month];
                boolean[] s = new boolean[c.length];
                for (int i = 0; i < c.length; i++) {
                    s[i] = c[i] > 0 && c[i] < threshold;
                }
                out[t][month] = s;
            }
            for (int t = 0; t < tables.size(); t++) {
                for (int[] row : tables.get(t).rows()) {
                    protectRow(threshold, row, counts[t][month], out[t][month]);
                }
            }
            for (int t = 0; t < tables.size(); t++) {
                List<int[]> rows = tables.get(t).rows();
                for (int r = 0; r < rows.size(); r++) {
                    if (sensitive(threshold, rows.get(r), counts[t][month])
                            && !movable(threshold, rows.get(r), counts[t][month], out[t][month])) {
                        for (int o = 0; o < tables.size(); o++) {
                            if (o == t) {
                                continue;
                            }
                            Layout other = tables.get(o);
                            boolean sameRows = other.rowGroup() != null
                                    && other.rowGroup().equals(tables.get(t).rowGroup());
                            int[] cells = sameRows ? other.rows().get(r) : all(other);
                            ensureOne(cells, counts[o][month], out[o][month]);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The published value of a cell over months [first, last] (1-based), or null when suppressed. */
    public static Long published(long[][] counts, boolean[][] suppressed, int cell, int firstMonth, int lastMonth) {
        long sum = 0;
        for (int m = firstMonth - 1; m < lastMonth; m++) {
            if (suppressed[m][cell]) {
                return null;
            }
            sum += counts[m][cell];
        }
        return sum;
    }

    private static void protectRow(int threshold, int[] row, long[] counts, boolean[] suppressed) {
        if (!sensitive(threshold, row, counts)) {
            return;
        }
        while (!movable(threshold, row, counts, suppressed)) {
            int smallest = -1;
            for (int i : row) {
                if (!suppressed[i] && counts[i] > 0 && (smallest < 0 || counts[i] < counts[smallest])) {
                    smallest = i;
                }
            }
            if (smallest < 0) {
                return;
            }
            suppressed[smallest] = true;
        }
    }

    /** At least two suppressed cells, and enough in them to take any one from 1 up to threshold-1. */
    private static boolean movable(int threshold, int[] row, long[] counts, boolean[] suppressed) {
        int k = suppressedCount(row, suppressed);
        return k >= 2 && suppressedSum(row, counts, suppressed) >= threshold + k - 2;
    }

    private static void ensureOne(int[] cells, long[] counts, boolean[] suppressed) {
        int smallest = -1;
        for (int i : cells) {
            if (suppressed[i]) {
                return;
            }
            if (counts[i] > 0 && (smallest < 0 || counts[i] < counts[smallest])) {
                smallest = i;
            }
        }
        if (smallest >= 0) {
            suppressed[smallest] = true;
        }
    }

    private static boolean sensitive(int threshold, int[] row, long[] counts) {
        for (int i : row) {
            if (counts[i] > 0 && counts[i] < threshold) {
                return true;
            }
        }
        return false;
    }

    private static int suppressedCount(int[] row, boolean[] suppressed) {
        int n = 0;
        for (int i : row) {
            n += suppressed[i] ? 1 : 0;
        }
        return n;
    }

    private static long suppressedSum(int[] row, long[] counts, boolean[] suppressed) {
        long n = 0;
        for (int i : row) {
            n += suppressed[i] ? counts[i] : 0;
        }
        return n;
    }

    private static int[] all(Layout layout) {
        return java.util.stream.IntStream.range(0, layout.cells()).toArray();
    }
}
