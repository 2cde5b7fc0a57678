package org.tandem.referral.statistics;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attack on the suppression itself, without the service around it, over many seeded random years: small
 * populations whose cells hold 1 to 4 referrals, every period and every table published as the service
 * would, and the linear-programming attacker of {@link Attacker} on all of it together. StatisticsAttackTest
 * plays the same attack through the REST API on a real database.
 * <p>
 * Protected means: no cell whose true count is 1 to 4 is published, and for each one the published figures
 * leave the attacker an interval that reaches at least 4 and holds more than one value: never its count, and
 * never "smaller than 4" (see Tables#disclosed). The attack is shown
 * to work: the same attacker recovers cells exactly from the old, naive suppression (each cell under 5 hidden,
 * zeros left out, every period computed on its own).
 */
class DisclosureControlAttackTest {

    static final int THRESHOLD = 5;

    /**
     * A year of random months: a few groups of identical referrals each, most of them 1 to 4 strong, with their
     * stages, and the pathways they start.
     */
    static Tables population(long seed) {
        Random r = new Random(seed);
        int countries = 2 + r.nextInt(3);
        Tables t = new Tables(countries);
        for (int m = 1; m <= 12; m++) {
            if (r.nextInt(10) == 0) {
                continue;
            }
            int groups = 2 + r.nextInt(10);
            for (int g = 0; g < groups; g++) {
                int status = r.nextInt(3) == 0 ? r.nextInt(Tables.STATUSES) : r.nextInt(3);
                int urgency = r.nextInt(Tables.URGENCIES);
                int age = r.nextInt(Tables.AGES);
                int sender = r.nextInt(countries);
                int receiver = r.nextInt(countries);
                int size = r.nextInt(4) < 3 ? 1 + r.nextInt(4) : 5 + r.nextInt(12);
                int stage = r.nextInt(Tables.STAGES);
                // most referrals start a pathway of their own, mostly of one referral; the rest continue one
                boolean starts = r.nextInt(4) != 0;
                int length = r.nextInt(3) == 0 ? 2 + r.nextInt(4) : 1;
                for (int i = 0; i < size; i++) {
                    t.add(m, status, urgency, age, stage, sender, receiver);
                    if (starts) {
                        t.addPathway(m, length);
                    }
                }
            }
        }
        return t;
    }

    static Tables.Published protectedFigures(Tables t) {
        boolean[][][] suppressed = DisclosureControl.suppress(THRESHOLD, t.layouts(), t.counts);
        return (table, first, last, cell) ->
                DisclosureControl.published(t.counts[table], suppressed[table], cell, first, last);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void no_small_cell_can_be_worked_out_from_all_periods_and_tables_together(long seed) {
        Tables t = population(seed);
        for (int table : new int[] {Tables.STAGE, Tables.PATHWAY}) {
            assertThat(java.util.Arrays.stream(t.counts[table]).flatMapToLong(java.util.Arrays::stream))
                    .as("seed %d: table %d has cells of 1 to 4 to attack", seed, table)
                    .containsAnyOf(1L, 2L, 3L, 4L);
        }
        Tables.Published figures = protectedFigures(t);
        Attacker attacker = t.attacker();
        t.tell(attacker, figures);
        assertThat(t.disclosed(attacker, THRESHOLD, figures))
                .as("seed %d", seed)
                .isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void the_same_attack_recovers_cells_from_the_old_naive_suppression(long seed) {
        Tables t = population(seed);
        Attacker attacker = t.attacker();
        // the old logic: each period on its own, cells under the threshold hidden, empty cells not listed
        for (int table = 0; table < t.tables(); table++) {
            for (int[] p : Tables.PERIODS) {
                for (int c = 0; c < t.cells(table); c++) {
                    long n = t.truth(table, p[0], p[1], c);
                    if (n > 0 && n < THRESHOLD) {
                        attacker.between(table, p[0], p[1], c, 1, THRESHOLD - 1);
                    } else {
                        attacker.published(table, p[0], p[1], c, n);
                    }
                }
            }
        }
        Tables.Published naive = (table, first, last, cell) -> {
            long n = t.truth(table, first, last, cell);
            return n > 0 && n < THRESHOLD ? null : n;
        };
        List<String> disclosed = t.disclosed(attacker, THRESHOLD, naive);
        assertThat(disclosed)
                .as("the attacker must beat naive suppression, or it proves nothing")
                .isNotEmpty();
        assertThat(disclosed).as("and recover some cells exactly").anyMatch(d -> exact(d));
    }

    @Test
    void the_attacker_pins_a_cell_from_a_margin_and_a_nested_period_and_not_from_two_unknowns() {
        // one table of one cell per status row (2 x 1 is enough): a quarter published, two months published
        Attacker a = new Attacker(3, 3, 1);
        a.published(0, 1, 3, 0, 9);
        a.published(0, 1, 1, 0, 5);
        a.published(0, 2, 2, 0, 3);
        assertThat(a.bounds(0, 3, 3, 0)).containsExactly(1, 1);
        // a sum of two unknowns leaves each anywhere in 0..sum
        a.published(0, 4, 6, 1, 7);
        a.published(0, 4, 4, 1, 5);
        assertThat(a.bounds(0, 5, 5, 1)).containsExactly(0, 2);
        // two tables counting the same referrals: the second table's total gives the first table's hidden cell
        Attacker b = new Attacker(2, 1, 1);
        b.sameReferrals(0, new int[] {0, 1}, 1, new int[] {0});
        b.published(0, 1, 1, 0, 6);
        b.published(1, 1, 1, 0, 8);
        assertThat(b.bounds(0, 1, 1, 1)).containsExactly(2, 2);
        // an unknown with no constraint at all is unbounded above
        assertThat(b.bounds(0, 2, 2, 1)).containsExactly(0, Attacker.UNBOUNDED);
        // 1..4 bounds on three months that add up to 12 pin every one of them to 4
        Attacker c = new Attacker(1, 1, 1);
        c.published(0, 1, 3, 0, 12);
        for (int m = 1; m <= 3; m++) {
            c.between(0, m, m, 0, 1, 4);
        }
        assertThat(c.bounds(0, 2, 2, 0)).containsExactly(4, 4);
    }

    private static boolean exact(String disclosed) {
        var m = java.util.regex.Pattern.compile("narrowed to (\\d+)\\.\\.(\\d+)")
                .matcher(disclosed);
        return m.find() && m.group(1).equals(m.group(2));
    }
}
