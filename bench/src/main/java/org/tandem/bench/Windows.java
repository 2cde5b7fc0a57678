package org.tandem.bench;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * Latency samples cut into fixed windows of the time they were offered, and the two questions asked of them
 * (docs/performance.md, "The warm-up curve"): when did a curve settle, and how long after a fault did a window
 * first meet the latency goal again.
 */
public final class Windows {

    /** One latency, in microseconds, of something offered at {@code offeredNanos} ({@link System#nanoTime()}). */
    public record Sample(long offeredNanos, long micros) {}

    /** A window's p99 counts as steady when it is at most this factor above the steady level... */
    static final double STEADY_FACTOR = 1.5;
    /** ...or at most this many microseconds above it (a few milliseconds of noise are not a cold JVM). */
    static final long STEADY_SLACK_MICROS = 10_000;

    private Windows() {}

    /** The samples offered in {@code [origin + i × width, origin + (i+1) × width)}, for i below {@code count}. */
    public static List<Histogram> cut(List<Sample> samples, long originNanos, long widthNanos, int count) {
        List<Histogram> windows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            windows.add(new Histogram(3_600_000_000L, 3));
        }
        for (Sample s : samples) {
            long offset = s.offeredNanos() - originNanos;
            if (offset >= 0 && offset / widthNanos < count) {
                windows.get((int) (offset / widthNanos)).recordValue(Math.min(s.micros(), 3_600_000_000L));
            }
        }
        return windows;
    }

    /** Whether {@code p99} is within reach of {@code steady}: below 1.5 × steady or steady + 10 ms. */
    static boolean near(long p99, long steady) {
        return p99 <= Math.max(steady * STEADY_FACTOR, steady + STEADY_SLACK_MICROS);
    }

    /**
     * Whether the last {@code run} p99s are steady among themselves: each near the smallest of them. A curve
     * whose latency still falls, or rises because the rate is too high, is not.
     */
    public static boolean lastAreSteady(List<Long> p99s, int run) {
        if (p99s.size() < run) {
            return false;
        }
        List<Long> last = p99s.subList(p99s.size() - run, p99s.size());
        long least = last.stream().mapToLong(Long::longValue).min().orElseThrow();
        return last.stream().allMatch(p -> near(p, least));
    }

    /**
     * The index of the first window from which every later p99 is near the steady level, the median of the
     * last three windows' p99; {@code -1} with fewer than three windows.
     */
    public static int settledFrom(List<Long> p99s) {
        if (p99s.size() < 3) {
            return -1;
        }
        List<Long> tail = new ArrayList<>(p99s.subList(p99s.size() - 3, p99s.size()))
                .stream().sorted().toList();
        long steady = tail.get(1);
        int from = p99s.size();
        while (from > 0 && near(p99s.get(from - 1), steady)) {
            from--;
        }
        return from;
    }

    /** The services' cores in a window count as steady when at most this factor above the steady level... */
    static final double CORES_FACTOR = 1.15;
    /** ...or at most this many cores above it. */
    static final double CORES_SLACK = 0.03;
    /** How far above the last windows the windows before them may be, median against median, for a steady curve. */
    static final double CORES_TREND_FACTOR = 1.10;

    /** Whether {@code cores} is within reach of {@code steady}: below 1.15 × steady or steady + 0.03 cores. */
    static boolean nearCores(double cores, double steady) {
        return cores <= Math.max(steady * CORES_FACTOR, steady + CORES_SLACK);
    }

    /**
     * Whether the services' cores per window have stopped falling: the last {@code run} windows near the least of
     * them, and the {@code run} windows before those no more than 10% (or 0.03 cores) above them, median against
     * median. The JIT compilers work for minutes after a window's latency has settled, and the same load costs less
     * CPU as they finish; three windows a few per cent apart can still be part of a slow fall, which the comparison
     * with the windows before them shows.
     */
    public static boolean coresSteady(List<Double> cores, int run) {
        if (cores.size() < 2 * run) {
            return false;
        }
        List<Double> last = cores.subList(cores.size() - run, cores.size());
        double least = last.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        if (!last.stream().allMatch(c -> nearCores(c, least))) {
            return false;
        }
        double now = median(last);
        double before = median(cores.subList(cores.size() - 2 * run, cores.size() - run));
        return before <= Math.max(now * CORES_TREND_FACTOR, now + CORES_SLACK);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /**
     * The index of the first window from which every window's cores are near the steady level, the median of the
     * last three; {@code -1} when the curve's cores were not steady at its end ({@link #coresSteady}).
     */
    public static int coresSteadyFrom(List<Double> cores) {
        if (!coresSteady(cores, 3)) {
            return -1;
        }
        double steady = median(cores.subList(cores.size() - 3, cores.size()));
        int from = cores.size();
        while (from > 0 && nearCores(cores.get(from - 1), steady)) {
            from--;
        }
        return from;
    }

    /**
     * A stopped curve's {@link #settledFrom}, judged as its stop was: on every window but the last, which ran while
     * the curve was being judged (its webhooks had not all arrived, so the stop could not weigh it); {@code -1}
     * when those windows are not steady.
     */
    public static int settledAtStop(List<Long> p99s, int run) {
        List<Long> judged = p99s.size() > 1 ? p99s.subList(0, p99s.size() - 1) : p99s;
        return lastAreSteady(judged, run) ? settledFrom(judged) : -1;
    }

    /**
     * The index of the first window at or after {@code from} from which every later window's p99 is at most
     * {@code limitMicros}; {@code -1} when the last window is over it (the curve ended before it was back under
     * the limit) or there is no window from {@code from} on.
     */
    public static int underFrom(List<Long> p99s, int from, long limitMicros) {
        if (from < 0 || from >= p99s.size() || p99s.getLast() > limitMicros) {
            return -1;
        }
        int first = p99s.size();
        while (first > from && p99s.get(first - 1) <= limitMicros) {
            first--;
        }
        return first;
    }

    /**
     * Seconds from {@code fromNanos} until the end of the first window of {@code widthNanos}, sliding on in
     * {@code stepNanos} from {@code fromNanos}, whose samples have a p99 under {@code limitMicros}; a window
     * must hold {@code minSamples} samples to count. {@code -1} when no window that ends by {@code untilNanos}
     * does.
     */
    public static double recoverySeconds(
            List<Sample> samples,
            long fromNanos,
            long widthNanos,
            long stepNanos,
            long limitMicros,
            int minSamples,
            long untilNanos) {
        for (Slid w : slide(samples, fromNanos, widthNanos, stepNanos, minSamples, untilNanos)) {
            if (w.p99Micros() < limitMicros) {
                return (w.startNanos() + widthNanos - fromNanos) / 1e9;
            }
        }
        return -1;
    }

    /**
     * The lowest p99, in microseconds, of the windows {@link #recoverySeconds} slides over (those with {@code
     * minSamples} samples at least); {@code -1} when there is none. Says how far from the goal a fault run was
     * when no window met it.
     */
    public static long bestP99(
            List<Sample> samples, long fromNanos, long widthNanos, long stepNanos, int minSamples, long untilNanos) {
        return slide(samples, fromNanos, widthNanos, stepNanos, minSamples, untilNanos).stream()
                .mapToLong(Slid::p99Micros)
                .min()
                .orElse(-1);
    }

    /** One sliding window with enough samples: where it starts and its p99. */
    private record Slid(long startNanos, long p99Micros) {}

    /** The windows of {@code widthNanos} from {@code fromNanos} on in {@code stepNanos}, ending by {@code untilNanos}. */
    private static List<Slid> slide(
            List<Sample> samples, long fromNanos, long widthNanos, long stepNanos, int minSamples, long untilNanos) {
        List<Slid> windows = new ArrayList<>();
        for (long start = fromNanos; start + widthNanos <= untilNanos; start += stepNanos) {
            Histogram h = cut(samples, start, widthNanos, 1).getFirst();
            if (h.getTotalCount() >= minSamples) {
                windows.add(new Slid(start, h.getValueAtPercentile(99)));
            }
        }
        return windows;
    }
}
