package org.tandem.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {

    static LatencyRun.Result result(int rate, double achieved, Map<String, Double> cores) {
        return new LatencyRun.Result(rate, 20, rate * 20, new Histogram(3), new Histogram(3), 0, 0, 0, achieved, cores);
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
    void no_rates_no_table() {
        assertThat(Report.cpuPerTransition(List.of())).isEmpty();
    }
}
