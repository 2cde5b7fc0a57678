package org.tandem.bench;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScaleReportTest {

    static LatencyRun.Result result(int rate, double achieved, long p99Micros, int errors) {
        Histogram h = new Histogram(3);
        h.recordValue(p99Micros);
        return new LatencyRun.Result(rate, 20, rate * 20, h, h, errors, 0, 0, achieved, Map.of(), Map.of());
    }

    @Test
    void the_ladders_stand_side_by_side_per_offered_rate() {
        String md = ScaleReport.markdown(List.of(
                new ScaleReport.Ladder(1, List.of(result(10, 10.0, 1_500, 0), result(50, 41.5, 1_900, 2)), 10),
                new ScaleReport.Ladder(2, List.of(result(10, 10.0, 1_200, 0), result(50, 49.9, 1_600, 0)), 50)));

        assertThat(md)
                .contains("| offered /s | achieved /s (1) | webhook p99 ms (1) | errors (1) |"
                        + " achieved /s (2) | webhook p99 ms (2) | errors (2) |")
                .contains("| 10 | 10.0 | 1.50 | 0 | 10.0 | 1.20 | 0 |")
                .contains("| 50 | 41.5 | 1.90 | 2 | 49.9 | 1.60 | 0 |")
                .contains("1 instance: 10/s; 2 instances: 50/s.");
    }

    @Test
    void one_ladder_alone_gets_no_section() {
        assertThat(ScaleReport.markdown(List.of(new ScaleReport.Ladder(1, List.of(result(10, 10, 1, 0)), 10))))
                .isEmpty();
    }
}
