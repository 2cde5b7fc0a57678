package org.tandem.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.tandem.bench.faults.Checker;
import org.tandem.bench.faults.FaultRun;
import org.tandem.bench.faults.History;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A repeated fault run's summary and the --repeat option. */
class FaultReportTest {

    static final FaultRun.Scenario SCENARIO =
            new FaultRun.Scenario("short", Duration.ofSeconds(40), 4, List.of(), Duration.ofSeconds(5));

    static FaultRun.RunResult run(int flows, List<Checker.Violation> violations) {
        var history =
                new History(List.of(), List.of(new History.Published("e1", "r1", "ReferralSubmitted", 0)), List.of());
        return new FaultRun.RunResult(history, violations, List.of(), flows, 0);
    }

    @Test
    void the_summary_has_a_line_per_run_and_counts_the_runs_that_passed() {
        String md = FaultReport.summary(
                SCENARIO,
                List.of(
                        run(120, List.of()),
                        run(130, List.of(new Checker.Violation("no loss", "r7", "ReferralAccepted never published")))));
        assertThat(md)
                .contains("| 1 | PASSED | 120 | 1 | 0 | none |")
                .contains("| 2 | FAILED | 130 | 1 | 0 | 1: no loss @ r7: ReferralAccepted never published |")
                .contains("| all | FAILED | 250 | 2 | 0 | 1 |")
                .contains("1 of 2 runs passed.");
    }

    @Test
    void the_summary_gives_each_faults_recovery_over_the_runs() {
        var history = new History(List.of(), List.of(), List.of());
        List<FaultRun.RunResult> runs = new java.util.ArrayList<>();
        double[][] seconds = {{21, 10}, {35, -1}, {18, 12}};
        for (double[] s : seconds) {
            runs.add(new FaultRun.RunResult(
                    history,
                    List.of(),
                    List.of(),
                    100,
                    0,
                    List.of(),
                    List.of(
                            new FaultRun.Recovery("kill -9 referral-service", 60, s[0], 30_000),
                            new FaultRun.Recovery("PostgreSQL restart", 190, s[1], 30_000))));
        }
        assertThat(FaultReport.summary(SCENARIO, runs))
                .contains("| all | PASSED | 300 | 0 | 0 | 0 |")
                .contains("## Recovery over the runs")
                .contains("| kill -9 referral-service | 3 | 18 | 21 | 35 | 0 |")
                .contains("| PostgreSQL restart | 3 | 10 | 10 | 12 | 1 |");
    }

    @Test
    void repeat_is_one_by_default_and_refuses_what_is_out_of_range() {
        assertThat(Main.repeat(Map.of())).isEqualTo(1);
        assertThat(Main.repeat(Map.of("repeat", "10"))).isEqualTo(10);
        assertThatThrownBy(() -> Main.repeat(Map.of("repeat", "0"))).hasMessageContaining("1 to 20");
        assertThatThrownBy(() -> Main.repeat(Map.of("repeat", "21"))).hasMessageContaining("1 to 20");
        assertThatThrownBy(() -> Main.repeat(Map.of("repeat", "ten"))).hasMessageContaining("not 'ten'");
    }

    @Test
    void the_report_gives_the_time_after_each_fault_until_a_window_was_back_under_100_ms() {
        long second = 1_000_000_000L;
        long t0 = 1_000 * second;
        long kill = t0 + 30 * second;
        List<History.Operation> ops = new java.util.ArrayList<>();
        List<History.Delivered> delivered = new java.util.ArrayList<>();
        for (int i = 0; i < 900; i++) { // 90 s of acknowledgements, ten a second
            long sent = t0 + i * second / 10;
            // slow from the kill until 12 s after it, fast otherwise
            long took = sent >= kill && sent < kill + 12 * second ? 2 * second : 20_000_000L;
            String referral = "r" + i;
            ops.add(new History.Operation(referral, "acknowledgement", History.Outcome.OK, 1, sent, sent + took / 2));
            delivered.add(new History.Delivered("w" + i, "e" + i, referral, "referral.acknowledged", sent + took));
        }
        var history = new History(ops, List.of(), delivered);
        List<FaultRun.Recovery> recoveries = FaultRun.recoveries(
                history,
                List.of(
                        new FaultRun.Strike("kill -9 referral-service", kill),
                        new FaultRun.Strike("endpoint down", t0 + 85 * second)),
                t0);
        assertThat(recoveries).hasSize(2);
        assertThat(recoveries.get(0).atSeconds()).isEqualTo(30.0);
        assertThat(recoveries.get(0).seconds()).isEqualTo(22.0); // the window [12 s, 22 s) after the kill
        assertThat(recoveries.get(1).seconds()).isEqualTo(-1); // fewer than 10 s of load left after it
        var result = new FaultRun.RunResult(history, List.of(), List.of(), 900, 0, List.of(), recoveries);
        assertThat(FaultReport.text(SCENARIO, result))
                .contains("## Recovery: back at speed after each fault")
                .contains("| kill -9 referral-service | 30.0 | 22 | 20.02 |")
                .contains("| endpoint down | 85.0 | not before the load ended | - |");
    }
}
