package org.tandem.bench;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WindowsTest {

    static final long SECOND = 1_000_000_000L;

    static List<Long> ms(long... values) {
        List<Long> micros = new ArrayList<>();
        for (long v : values) {
            micros.add(v * 1000);
        }
        return micros;
    }

    @Test
    void samples_fall_into_the_window_they_were_offered_in_and_outside_ones_are_left_out() {
        long origin = 1_000 * SECOND;
        List<Windows.Sample> samples = List.of(
                new Windows.Sample(origin - 1, 999_000), // before the first window
                new Windows.Sample(origin, 1_000),
                new Windows.Sample(origin + 9 * SECOND, 3_000),
                new Windows.Sample(origin + 10 * SECOND, 50_000),
                new Windows.Sample(origin + 20 * SECOND, 999_000)); // after the last
        List<Histogram> windows = Windows.cut(samples, origin, 10 * SECOND, 2);
        assertThat(windows).hasSize(2);
        assertThat(windows.get(0).getTotalCount()).isEqualTo(2);
        assertThat(windows.get(0).getMaxValue()).isBetween(2_990L, 3_010L);
        assertThat(windows.get(1).getTotalCount()).isEqualTo(1);
        assertThat(windows.get(1).getMaxValue()).isBetween(49_900L, 50_100L);
    }

    @Test
    void a_falling_curve_is_not_steady_and_a_flat_one_is() {
        assertThat(Windows.lastAreSteady(ms(4530, 1683, 570, 422, 245, 164), 3)).isFalse();
        assertThat(Windows.lastAreSteady(ms(4530, 1683, 57, 60, 55), 3)).isTrue();
        // a few milliseconds of noise on a small p99 are steady, doubling is not
        assertThat(Windows.lastAreSteady(ms(8, 15, 9), 3)).isTrue();
        assertThat(Windows.lastAreSteady(ms(40, 90, 41), 3)).isFalse();
        assertThat(Windows.lastAreSteady(ms(40, 41), 3)).isFalse();
    }

    @Test
    void a_rising_curve_under_too_much_load_is_not_steady() {
        assertThat(Windows.lastAreSteady(ms(50, 120, 400), 3)).isFalse();
    }

    @Test
    void the_curve_settles_at_the_first_window_from_which_every_window_is_near_the_steady_p99() {
        // the cold curve, then steady around 57 ms
        assertThat(Windows.settledFrom(ms(4530, 1683, 570, 422, 245, 164, 60, 55, 58, 57)))
                .isEqualTo(6);
        // fast from the start
        assertThat(Windows.settledFrom(ms(12, 9, 10, 11))).isZero();
        // one slow window late in the curve moves the settling point past it
        assertThat(Windows.settledFrom(ms(10, 10, 300, 10, 11, 10))).isEqualTo(3);
        assertThat(Windows.settledFrom(ms(10, 10))).isEqualTo(-1);
    }

    @Test
    void a_stopped_curve_is_judged_without_its_last_window_as_its_stop_was() {
        // 2026-12-05: the stop saw windows 5-7 steady; window 8 ran while it was judged and came out at 81 ms
        List<Long> run = ms(1171, 1026, 142, 256, 38, 40, 37, 81);
        assertThat(Windows.settledAtStop(run, 3)).isEqualTo(4);
        assertThat(Windows.lastAreSteady(run, 3))
                .as("all eight together are not")
                .isFalse();
        // a curve whose judged windows were not steady (it stopped at its limit) did not settle
        assertThat(Windows.settledAtStop(ms(1171, 1026, 142, 256, 38, 40), 3)).isEqualTo(-1);
    }

    @Test
    void the_windows_are_back_under_the_limit_from_the_first_one_after_which_none_is_over_it() {
        long limit = 100_000;
        // a dip under the limit that does not last does not count: window 4 is over it again
        assertThat(Windows.underFrom(ms(60, 70, 3700, 90, 450, 95, 80, 70), 2, limit))
                .isEqualTo(5);
        // from the step's window on: the windows before it are not judged
        assertThat(Windows.underFrom(ms(60, 70, 90, 80), 2, limit)).isEqualTo(2);
        // still over it at the end: never back
        assertThat(Windows.underFrom(ms(60, 70, 3700, 90, 450), 2, limit)).isEqualTo(-1);
        assertThat(Windows.underFrom(ms(60, 70), 2, limit)).isEqualTo(-1);
    }

    @Test
    void recovery_ends_with_the_first_sliding_window_under_the_limit() {
        long kill = 500 * SECOND;
        List<Windows.Sample> samples = new ArrayList<>();
        for (int tenth = 0; tenth < 600; tenth++) { // 60 s, ten samples a second
            long at = kill + tenth * SECOND / 10;
            long micros = tenth < 150 ? 900_000 : 20_000; // slow for the first 15 s after the kill
            samples.add(new Windows.Sample(at, micros));
        }
        double seconds = Windows.recoverySeconds(samples, kill, 10 * SECOND, SECOND, 100_000, 10, kill + 60 * SECOND);
        // the first window starting at or after 15 s is [15, 25): it ends 25 s after the kill
        assertThat(seconds).isEqualTo(25.0);
        assertThat(Windows.recoverySeconds(samples, kill, 10 * SECOND, SECOND, 10_000, 10, kill + 60 * SECOND))
                .isEqualTo(-1);
    }

    @Test
    void a_window_with_too_few_samples_does_not_count_as_recovered() {
        long kill = 100 * SECOND;
        List<Windows.Sample> samples = List.of(new Windows.Sample(kill + SECOND, 1_000));
        assertThat(Windows.recoverySeconds(samples, kill, 10 * SECOND, SECOND, 100_000, 10, kill + 30 * SECOND))
                .isEqualTo(-1);
    }

    @Test
    void cores_are_steady_when_the_last_windows_are_close_and_no_lower_than_the_ones_before() {
        // three windows within 15 % of each other, but 13 % below the three before: still falling (the JIT at work)
        assertThat(Windows.coresSteady(List.of(0.64, 0.60, 0.58, 0.52, 0.56, 0.49), 3))
                .isFalse();
        assertThat(Windows.coresSteady(List.of(0.50, 0.46, 0.48, 0.47, 0.45, 0.48), 3))
                .isTrue();
        // the last three apart by more than 15 %
        assertThat(Windows.coresSteady(List.of(0.50, 0.46, 0.48, 0.40, 0.47, 0.48), 3))
                .isFalse();
        // a small level: 0.03 cores of slack, not 15 %
        assertThat(Windows.coresSteady(List.of(0.12, 0.11, 0.10, 0.10, 0.12, 0.13), 3))
                .isTrue();
        assertThat(Windows.coresSteady(List.of(0.12, 0.11, 0.10, 0.10, 0.12, 0.14), 3))
                .isFalse();
        assertThat(Windows.coresSteady(List.of(0.18, 0.18, 0.18, 0.10, 0.12, 0.13), 3))
                .isFalse();
        assertThat(Windows.coresSteady(List.of(0.5, 0.5, 0.5, 0.5, 0.5), 3)).isFalse();
    }

    @Test
    void cores_steady_from_is_the_first_window_of_the_run_near_the_steady_level() {
        assertThat(Windows.coresSteadyFrom(List.of(0.9, 0.7, 0.5, 0.41, 0.4, 0.41, 0.4, 0.42, 0.41)))
                .isEqualTo(3);
        // a window above the level later on moves the start past it
        assertThat(Windows.coresSteadyFrom(List.of(0.4, 0.41, 0.9, 0.4, 0.41, 0.4, 0.4)))
                .isEqualTo(3);
        assertThat(Windows.coresSteadyFrom(List.of(0.4, 0.4, 0.41, 0.4, 0.4, 0.41)))
                .isEqualTo(0);
        // still falling at the end
        assertThat(Windows.coresSteadyFrom(List.of(0.9, 0.7, 0.5, 0.41, 0.4, 0.41)))
                .isEqualTo(-1);
        assertThat(Windows.coresSteadyFrom(List.of(0.4, 0.4))).isEqualTo(-1);
    }
}
