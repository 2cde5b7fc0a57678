package org.tandem.referral.statistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.linear.UnboundedSolutionException;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * The attacker of the statistics (docs/privacy.md): the unknowns are the true counts of every cell of every
 * table in every month of one year, all non-negative integers. Every published figure, of any period, is an
 * equation over them (a quarter's cell is the sum of its three months); every fact that holds between the
 * tables is another (the status rows of two tables count the same referrals; every table counts the whole
 * month). What the attacker can know of a cell, or of a cell over a period, is the interval that these
 * constraints leave it: here, the bounds of the linear programme, rounded inwards to integers.
 * <p>
 * Exactness: figures are small integers and the constraint coefficients are 0 and ±1, so the double-precision
 * simplex of Commons Math is exact up to a tolerance of 1e-6, far under the distance between two integers.
 * LP bounds are never tighter than what integer reasoning can reach; for these sums-of-cells constraints they
 * are what the published figures give, and a test of this class checks them on hand-made cases.
 */
final class Attacker {

    static final long UNBOUNDED = Long.MAX_VALUE;
    private static final double EPS = 1e-6;

    private record Constraint(int[] vars, int[] coef, Relationship rel, long rhs) {}

    private final int[] cells;
    private final int[] offset;
    private final int variables;
    private final List<Constraint> constraints = new ArrayList<>();
    private long[] fixed;
    private int[] component;
    private Map<Integer, List<Constraint>> byComponent;

    /** @param cells the number of cells of each table */
    Attacker(int... cells) {
        this.cells = cells.clone();
        this.offset = new int[cells.length];
        int n = 0;
        for (int t = 0; t < cells.length; t++) {
            offset[t] = n;
            n += 12 * cells[t];
        }
        this.variables = n;
    }

    int var(int table, int month, int cell) {
        return offset[table] + (month - 1) * cells[table] + cell;
    }

    /** A figure published for {@code cell} of {@code table} over months first..last (1-based, inclusive). */
    void published(int table, int first, int last, int cell, long value) {
        add(sum(table, first, last, cell), Relationship.EQ, value);
    }

    /** What the attacker knows of a cell that is not published as a number, e.g. "1 to 4". */
    void between(int table, int first, int last, int cell, long low, long high) {
        add(sum(table, first, last, cell), Relationship.GEQ, low);
        if (high != UNBOUNDED) {
            add(sum(table, first, last, cell), Relationship.LEQ, high);
        }
    }

    /** In every month, the cells {@code a} of table {@code ta} count the same referrals as the cells {@code b} of {@code tb}. */
    void sameReferrals(int ta, int[] a, int tb, int[] b) {
        compare(ta, a, Relationship.EQ, tb, b);
    }

    /** In every month, the cells {@code a} of table {@code ta} count at most as many as the cells {@code b} of {@code tb}. */
    void atMost(int ta, int[] a, int tb, int[] b) {
        compare(ta, a, Relationship.LEQ, tb, b);
    }

    /** In every month: the sum of cells {@code a} of {@code ta}, {@code rel}, the sum of cells {@code b} of {@code tb}. */
    private void compare(int ta, int[] a, Relationship rel, int tb, int[] b) {
        for (int m = 1; m <= 12; m++) {
            int[] vars = new int[a.length + b.length];
            int[] coef = new int[vars.length];
            for (int i = 0; i < a.length; i++) {
                vars[i] = var(ta, m, a[i]);
                coef[i] = 1;
            }
            for (int i = 0; i < b.length; i++) {
                vars[a.length + i] = var(tb, m, b[i]);
                coef[a.length + i] = -1;
            }
            constraints.add(new Constraint(vars, coef, rel, 0));
        }
        fixed = null;
    }

    /** The sum of the given cells of {@code table} over the whole year is at least {@code low}. */
    void yearAtLeast(int table, int[] cellsOfTable, long low) {
        List<Integer> vars = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            for (int c : cellsOfTable) {
                vars.add(var(table, m, c));
            }
        }
        int[] v = vars.stream().mapToInt(Integer::intValue).toArray();
        int[] coef = new int[v.length];
        Arrays.fill(coef, 1);
        constraints.add(new Constraint(v, coef, Relationship.GEQ, low));
        fixed = null;
    }

    /** The tightest interval {low, high} the constraints leave for the cell's count over months first..last. */
    long[] bounds(int table, int first, int last, int cell) {
        prepare();
        int[] target = sum(table, first, last, cell).vars();
        long known = 0;
        List<Integer> free = new ArrayList<>();
        for (int v : target) {
            if (fixed[v] >= 0) {
                known += fixed[v];
            } else {
                free.add(v);
            }
        }
        if (free.isEmpty()) {
            return new long[] {known, known};
        }
        List<Constraint> relevant = new ArrayList<>();
        java.util.Set<Integer> comps = new java.util.TreeSet<>();
        for (int v : free) {
            comps.add(component[v]);
        }
        for (int c : comps) {
            relevant.addAll(byComponent.getOrDefault(c, List.of()));
        }
        // local numbering of the free variables of these components
        Map<Integer, Integer> local = new HashMap<>();
        for (int v : free) {
            local.computeIfAbsent(v, k -> local.size());
        }
        for (Constraint c : relevant) {
            for (int v : c.vars()) {
                if (fixed[v] < 0) {
                    local.computeIfAbsent(v, k -> local.size());
                }
            }
        }
        int n = local.size();
        List<LinearConstraint> lp = new ArrayList<>();
        for (Constraint c : relevant) {
            double[] row = new double[n];
            double rhs = c.rhs();
            for (int i = 0; i < c.vars().length; i++) {
                int v = c.vars()[i];
                if (fixed[v] >= 0) {
                    rhs -= c.coef()[i] * fixed[v];
                } else {
                    row[local.get(v)] += c.coef()[i];
                }
            }
            lp.add(new LinearConstraint(row, c.rel(), rhs));
        }
        double[] objective = new double[n];
        for (int v : free) {
            objective[local.get(v)] += 1;
        }
        long low = known + (long) Math.ceil(optimum(objective, lp, GoalType.MINIMIZE) - EPS);
        double max = optimum(objective, lp, GoalType.MAXIMIZE);
        long high = Double.isInfinite(max) ? UNBOUNDED : known + (long) Math.floor(max + EPS);
        return new long[] {low, high};
    }

    private static double optimum(double[] objective, List<LinearConstraint> lp, GoalType goal) {
        try {
            return new SimplexSolver(EPS, 10, 1e-10)
                    .optimize(
                            new MaxIter(100_000),
                            new LinearObjectiveFunction(objective, 0),
                            new LinearConstraintSet(lp),
                            goal,
                            new NonNegativeConstraint(true))
                    .getValue();
        } catch (UnboundedSolutionException e) {
            return goal == GoalType.MAXIMIZE ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        } catch (NoFeasibleSolutionException e) {
            throw new AssertionError("the published figures contradict each other: the attacker's model is wrong", e);
        }
    }

    private Constraint sum(int table, int first, int last, int cell) {
        int[] vars = new int[last - first + 1];
        int[] coef = new int[vars.length];
        for (int m = first; m <= last; m++) {
            vars[m - first] = var(table, m, cell);
            coef[m - first] = 1;
        }
        return new Constraint(vars, coef, Relationship.EQ, 0);
    }

    private void add(Constraint shape, Relationship rel, long rhs) {
        constraints.add(new Constraint(shape.vars(), shape.coef(), rel, rhs));
        fixed = null;
    }

    /** Fixes every variable that an equation with one unknown left pins down, then groups the rest. */
    private void prepare() {
        if (fixed != null) {
            return;
        }
        fixed = new long[variables];
        Arrays.fill(fixed, -1);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Constraint c : constraints) {
                if (c.rel() != Relationship.EQ) {
                    continue;
                }
                int unknown = -1;
                int count = 0;
                long rest = c.rhs();
                for (int i = 0; i < c.vars().length; i++) {
                    if (fixed[c.vars()[i]] >= 0) {
                        rest -= (long) c.coef()[i] * fixed[c.vars()[i]];
                    } else {
                        count++;
                        unknown = i;
                    }
                }
                if (count == 1) {
                    long value = rest / c.coef()[unknown];
                    if (value < 0) {
                        throw new AssertionError("negative count derived: the attacker's model is wrong");
                    }
                    fixed[c.vars()[unknown]] = value;
                    changed = true;
                }
            }
        }
        int[] parent = new int[variables];
        for (int i = 0; i < variables; i++) {
            parent[i] = i;
        }
        for (Constraint c : constraints) {
            int first = -1;
            for (int v : c.vars()) {
                if (fixed[v] < 0) {
                    if (first < 0) {
                        first = v;
                    } else {
                        parent[find(parent, v)] = find(parent, first);
                    }
                }
            }
        }
        component = new int[variables];
        for (int i = 0; i < variables; i++) {
            component[i] = find(parent, i);
        }
        byComponent = new HashMap<>();
        for (Constraint c : constraints) {
            for (int v : c.vars()) {
                if (fixed[v] < 0) {
                    byComponent
                            .computeIfAbsent(component[v], k -> new ArrayList<>())
                            .add(c);
                    break;
                }
            }
        }
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
