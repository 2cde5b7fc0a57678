package org.tandem.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.tandem.bench.faults.InstanceWork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.bench.ReportTest.latencies;

class ScaleOutTest {

    static WarmupCurve.Window window(int index, long p99Micros, Map<String, Double> cores) {
        return new WarmupCurve.Window(index, 1000, latencies(8_000, p99Micros), latencies(20_000), 0, 0, cores);
    }

    static WarmupCurve.Result curve(long... p99s) {
        Map<String, Double> one = Map.of("referral-service-1", 0.4);
        Map<String, Double> both = new LinkedHashMap<>(one);
        both.put("referral-service-2", 0.3);
        List<WarmupCurve.Window> windows = new java.util.ArrayList<>();
        for (int i = 0; i < p99s.length; i++) {
            windows.add(window(i, p99s[i], i < 3 ? one : both));
        }
        return new WarmupCurve.Result(
                100,
                10,
                0.1,
                windows,
                -1,
                latencies(5_000),
                List.of(new WarmupCurve.StepTimes("starting the second instances", 20.0, 31.5, null)));
    }

    static final List<InstanceWork.Work> WORK = List.of(
            new InstanceWork.Work("referral-service-1", 40.2, 4100, 0),
            new InstanceWork.Work("referral-service-2", 12.7, 1900, 0));

    @Test
    void every_window_within_100_ms_meets_the_target_and_each_instance_s_work_is_listed() {
        String md = ScaleOut.markdown(curve(40_000, 45_000, 60_000, 52_000, 41_000), WORK, "scale-out.png");
        assertThat(md)
                .contains("## Scale-out under load")
                .contains("One instance of each service served 100 requests/s")
                .contains("- starting the second instances: from 20.0 s to 31.5 s after the curve's first request"
                        + " (every second instance ready)")
                .contains("**Highest window p99 of the whole: 60.03 ms**")
                .contains(": met.")
                .contains("| referral-service-1 | 40.2 | 4100 | 0 |")
                .contains("| referral-service-2 | 12.7 | 1900 | 0 |")
                .contains("![warm-up curve](scale-out.png)");
    }

    @Test
    void one_window_over_100_ms_fails_the_target() {
        String md = ScaleOut.markdown(curve(40_000, 45_000, 180_000, 52_000), WORK, "s.png");
        assertThat(md).contains("**Highest window p99 of the whole: 180.").contains(": not met.");
    }

    @Test
    void the_report_says_when_the_whole_was_back_under_100_ms_after_the_second_instances_began() {
        // the instances begin to start 20 s in (window 3); windows 3 to 5 are over, 6 on are under
        String md = ScaleOut.markdown(
                curve(40_000, 45_000, 3_700_000, 900_000, 180_000, 70_000, 60_000, 55_000), WORK, "s.png");
        assertThat(md)
                .contains("**Back under 100.00 ms from window 6 on**, which began 30 s after the second instances");
    }

    @Test
    void a_curve_that_ends_over_100_ms_says_the_whole_was_not_back_under_it() {
        String md = ScaleOut.markdown(curve(40_000, 45_000, 3_700_000, 3_650_000, 3_720_000), WORK, "s.png");
        assertThat(md).contains("**Not back under 100.00 ms** by the end of the curve, 30 s after");
    }

    @Test
    void an_instance_started_during_the_curve_has_its_column_from_then_on() {
        String md = Report.warmup(curve(40_000, 45_000, 60_000, 52_000), "s.png", "## ");
        assertThat(md)
                .contains("cores: referral-service-1 | referral-service-2 |")
                .contains("| 0.40 | - |")
                .contains("| 0.40 | 0.30 |");
    }

    @Test
    void a_failed_start_is_reported() {
        WarmupCurve.Result failed = new WarmupCurve.Result(
                100,
                10,
                0.1,
                curve(40_000).windows(),
                -1,
                latencies(5_000),
                List.of(new WarmupCurve.StepTimes("starting the second instances", 20.0, 200.0, "not ready")));
        assertThat(ScaleOut.markdown(failed, WORK, "s.png")).contains("**failed**: not ready");
    }
}
