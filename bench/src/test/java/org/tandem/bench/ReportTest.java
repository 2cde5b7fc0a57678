package org.tandem.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {

    static LatencyRun.Result result(int rate, double achieved, Map<String, Double> cores) {
        return new LatencyRun.Result(
                rate, 20, rate * 20, new Histogram(3), new Histogram(3), 0, 0, 0, achieved, cores, Map.of());
    }

    @Test
    void cpu_per_transition_is_each_process_cores_over_the_achieved_rate_and_leaves_the_load_generator_out() {
        Map<String, Double> cores = new LinkedHashMap<>();
        cores.put("postgres", 0.3);
        cores.put("referral-service", 0.5);
        cores.put("bench (load + receiver)", 0.4);
        String md = Report.cpuPerTransition(List.of(result(100, 100.0, cores), result(200, 250.0, cores)));
        assertThat(md)
                .contains("| offered /s | postgres | referral-service | all |")
                .contains("| 100 | 3.00 | 5.00 | 8.00 |")
                .contains("| 200 | 1.20 | 2.00 | 3.20 |")
                .doesNotContain("bench (load");
    }

    @Test
    void idle_gives_each_process_cores_without_load_and_each_rates_cost_above_them() {
        Map<String, Double> idle = new LinkedHashMap<>();
        idle.put("postgres", 0.05);
        idle.put("referral-service", 0.1);
        idle.put("bench (load + receiver)", 0.01);
        Map<String, Double> loaded = new LinkedHashMap<>();
        loaded.put("postgres", 0.25);
        loaded.put("referral-service", 0.5);
        loaded.put("bench (load + receiver)", 0.2);

        String md = Report.idle(idle, 20, List.of(result(100, 100.0, loaded), result(200, 200.0, loaded)));

        assertThat(md)
                .contains("After the rates, 20 s without load")
                .contains("| | postgres | referral-service | all |")
                .contains("| idle, cores | 0.050 | 0.100 | 0.150 |")
                .contains("| 100/s, ms above idle | 2.00 | 4.00 | 6.00 |")
                .contains("| 200/s, ms above idle | 1.00 | 2.00 | 3.00 |")
                .doesNotContain("bench (load");
        assertThat(Report.idle(Map.of(), 20, List.of(result(100, 100.0, loaded))))
                .isEmpty();
    }

    @Test
    void again_puts_both_passes_of_a_rate_side_by_side() {
        Map<String, Double> cold = new LinkedHashMap<>();
        cold.put("referral-service", 0.5);
        cold.put("bench (load + receiver)", 0.2);
        Map<String, Double> warm = new LinkedHashMap<>();
        warm.put("referral-service", 0.2);
        warm.put("bench (load + receiver)", 0.2);
        Histogram slow = latencies(60_000, 90_000);
        LatencyRun.Result first = new LatencyRun.Result(100, 20, 2000, slow, slow, 1, 0, 0, 100.0, cold, Map.of());

        String md = Report.again(first, result(100, 100.0, warm));

        assertThat(md)
                .contains("### 100/s again, after the climb")
                .contains("| pass | p50 | p99 | max | errors | missing | webhook before answer | response p99 |"
                        + " referral-service | all |")
                .contains("| first, in the climb | 60.03 | 90.05 | 90.05 | 1 | 0 | 0 | 90.05 | 5.00 | 5.00 |")
                .contains("| again, after it | 0.00 | 0.00 | 0.00 | 0 | 0 | 0 | 0.00 | 2.00 | 2.00 |")
                .doesNotContain("bench (load");
    }

    @Test
    void the_rates_say_how_many_webhooks_came_before_their_answer_and_why_a_p50_can_be_0() {
        // three of four webhooks before the client read the answer: recorded as 0, so the p50 is 0
        Histogram mostlyEarly = latencies(0, 0, 0, 40_000);
        LatencyRun.Result early = new LatencyRun.Result(
                200, 30, 4, mostlyEarly, latencies(2_000_000), 0, 0, 3, 200.0, Map.of(), Map.of());
        String md = Report.rates(List.of(early), 1_000, 2_000);
        assertThat(md)
                .contains("| errors | missing | webhook before answer | response p99 |")
                .contains("| 200 | 200.0 | 4 | 0.00 | 40.03 | 40.03 | 0.0 | 20.0 | 0 | 0 | 3 | 2000.90 |")
                .contains("counts as 0 ms");
        Histogram ordinary = latencies(5_000, 9_000);
        assertThat(Report.rates(
                        List.of(new LatencyRun.Result(
                                50, 30, 2, ordinary, ordinary, 0, 0, 0, 50.0, Map.of(), Map.of())),
                        1_000,
                        2_000))
                .contains("| 50 | 50.0 | 2 | 5.00 | 9.01 | 9.01 | 5.0 | 4.5 | 0 | 0 | 0 | 9.01 |")
                .doesNotContain("counts as 0 ms");
    }

    @Test
    void probes_give_p99_longest_and_failures_per_service_and_kind() {
        Map<String, Probes.Figures> probed = new LinkedHashMap<>();
        probed.put("referral live", new Probes.Figures(latencies(1_000, 2_000, 2_040), 3, 1, 1));
        probed.put("referral ready", new Probes.Figures(latencies(4_000), 1, 0, 0));
        LatencyRun.Result r = new LatencyRun.Result(
                300, 20, 6000, new Histogram(3), new Histogram(3), 0, 0, 0, 300, Map.of(), probed);
        assertThat(Report.probes(List.of(r)))
                .contains("| offered /s | service | live p99 | live max | live failed |")
                .contains("| 300 | referral | 2.04 | 2.04 | 1 of 3 (1) | 4.00 | 4.00 | 0 of 1 (0) |");
        assertThat(Report.probes(List.of(result(100, 100, Map.of())))).isEmpty();
    }

    @Test
    void no_rates_no_table() {
        assertThat(Report.cpuPerTransition(List.of())).isEmpty();
    }

    @Test
    void services_give_the_start_up_all_at_once_and_restarted_alone_or_a_dash_when_not_measured() {
        String md = Report.services(List.of(
                new Report.ServiceFigures("referral-service", 9.876, 3.214, 280, 340.4),
                new Report.ServiceFigures("web", 4.5, -1, 100, 110)));
        assertThat(md)
                .contains("| service | start-up to ready, all at once (s) | restarted alone (s) |")
                .contains("| referral-service | 9.88 | 3.21 | 280 | 340 |")
                .contains("| web | 4.50 | - | 100 | 110 |");
    }

    static Histogram latencies(long... micros) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (long m : micros) {
            h.recordValue(m);
        }
        return h;
    }

    @Test
    void the_warm_up_curve_has_a_row_per_window_and_says_when_it_settled() {
        Map<String, Double> cores = new LinkedHashMap<>();
        cores.put("referral-service", 0.57);
        List<WarmupCurve.Window> windows = List.of(
                new WarmupCurve.Window(0, 500, latencies(400_000, 1_700_000), latencies(900_000), 0, 0, cores),
                new WarmupCurve.Window(1, 500, latencies(9_000, 52_000), latencies(30_000), 1, 2, cores),
                new WarmupCurve.Window(2, 500, latencies(8_000, 50_000), latencies(30_000), 0, 0, cores),
                new WarmupCurve.Window(3, 500, latencies(8_000, 51_000), latencies(30_000), 0, 0, cores));
        WarmupCurve.Result curve = new WarmupCurve.Result(50, 10, 2.0, windows, 1, latencies(700_000, 900_000));
        String md = Report.warmup(curve, "warmup.png", "## ");
        assertThat(md)
                .contains("## Warm-up: 50 requests/s from ready, in 10-s windows")
                .contains("**Settled 12 s after ready**")
                .contains(
                        "| window | from ready (s) | requests | p50 | p99 | response p99 | errors | missing | cores: referral-service |")
                .contains("| 2 | 12 | 500 | 9.01 | 52.03 | 30.02 | 1 | 2 | 0.57 |")
                .contains("First 2 requests after ready")
                .contains("![warm-up curve](warmup.png)");
        // the same cores in each of four windows: too few to say the CPU has stopped falling
        assertThat(md).contains("The services' CPU per window was not steady when the curve ended");
        WarmupCurve.Result cold = new WarmupCurve.Result(50, 10, 2.5, windows, -1, latencies(1));
        assertThat(Report.warmup(cold, "w.png", "## ")).contains("**Did not settle** within 4 windows (40 s)");
    }

    @Test
    void the_warm_up_curve_says_from_which_window_the_services_cpu_was_steady_counting_every_instance() {
        double[][] perWindow = {
            {0.5, 0.4},
            {0.4, 0.3},
            {0.3, 0.2},
            {0.21, 0.2},
            {0.2, 0.2},
            {0.2, 0.21},
            {0.2, 0.2},
            {0.21, 0.21},
            {0.2, 0.21}
        };
        List<WarmupCurve.Window> windows = new java.util.ArrayList<>();
        for (int i = 0; i < perWindow.length; i++) {
            Map<String, Double> cores = new LinkedHashMap<>();
            cores.put("postgres", 5.0); // not a service: left out
            cores.put("referral-service-1", perWindow[i][0]);
            cores.put("referral-service-2", perWindow[i][1]);
            windows.add(new WarmupCurve.Window(i, 500, latencies(9_000), latencies(9_000), 0, 0, cores));
        }
        WarmupCurve.Result curve = new WarmupCurve.Result(50, 10, 2.0, windows, 0, latencies(9_000));

        // the sums: 0.9, 0.7, 0.5, 0.41, 0.4, 0.41, 0.4, 0.42, 0.41; steady level 0.41, from the fourth window
        assertThat(Report.warmup(curve, "w.png", "## "))
                .contains("The services' CPU was steady from window 4 on (32 s after ready)");

        List<WarmupCurve.Window> falling = windows.subList(0, 6);
        WarmupCurve.Result stillFalling = new WarmupCurve.Result(50, 10, 2.0, falling, 0, latencies(9_000));
        assertThat(Report.warmup(stillFalling, "w.png", "## "))
                .contains("The services' CPU per window was not steady when the curve ended");
    }
}
