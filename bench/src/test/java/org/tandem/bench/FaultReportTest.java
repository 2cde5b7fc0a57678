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
                .contains("1 of 2 runs passed.");
    }

    @Test
    void repeat_is_one_by_default_and_refuses_what_is_out_of_range() {
        assertThat(Main.repeat(Map.of())).isEqualTo(1);
        assertThat(Main.repeat(Map.of("repeat", "10"))).isEqualTo(10);
        assertThatThrownBy(() -> Main.repeat(Map.of("repeat", "0"))).hasMessageContaining("1 to 20");
        assertThatThrownBy(() -> Main.repeat(Map.of("repeat", "21"))).hasMessageContaining("1 to 20");
        assertThatThrownBy(() -> Main.repeat(Map.of("repeat", "ten"))).hasMessageContaining("not 'ten'");
    }
}
