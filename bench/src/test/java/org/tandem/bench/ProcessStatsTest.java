package org.tandem.bench;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A process's CPU includes what its descendants use (PostgreSQL's backends), but not a named one's. */
class ProcessStatsTest {

    @Test
    void counts_the_cpu_of_descendants_but_not_of_named_ones() throws Exception {
        Process parent = new ProcessBuilder("sh", "-c", "sh -c 'while :; do :; done' & wait").start();
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            double withChild = 0;
            while (withChild < 0.2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                withChild = ProcessStats.cpu(Map.of("parent", parent.pid())).get("parent");
            }
            assertThat(withChild).isGreaterThanOrEqualTo(0.2);
            assertThat(ProcessStats.cpuSeconds(parent.pid())).isLessThan(0.1);
            long child = parent.descendants().findFirst().orElseThrow().pid();
            Map<String, Double> both = ProcessStats.cpu(Map.of("parent", parent.pid(), "child", child));
            assertThat(both.get("parent")).isLessThan(0.1);
            assertThat(both.get("child")).isGreaterThanOrEqualTo(0.2);
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly();
        }
    }

    @Test
    void the_jit_compiler_threads_are_a_part_of_a_jvm_and_nothing_of_a_shell() throws Exception {
        long self = ProcessHandle.current().pid();
        // this JVM has compiled its test framework by now: its compiler threads have used some CPU
        double jit = ProcessStats.jitCpuSeconds(self);
        assertThat(jit).isPositive().isLessThanOrEqualTo(ProcessStats.cpuSeconds(self));
        Process shell = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            Thread.sleep(300);
            assertThat(ProcessStats.cpuSeconds(shell.pid())).isPositive();
            assertThat(ProcessStats.jitCpuSeconds(shell.pid())).isZero();
        } finally {
            shell.destroyForcibly().waitFor();
        }
        assertThat(ProcessStats.jitCpuSeconds(shell.pid())).isEqualTo(-1.0);
    }

    @Test
    void a_descendant_that_ended_does_not_make_the_share_negative() {
        assertThat(ProcessStats.coresUsed(Map.of("postgres", 5.0), Map.of("postgres", 4.0), 1.0))
                .containsEntry("postgres", 0.0);
    }

    @Test
    void the_progress_line_writes_a_small_share_as_zero_cores_not_in_scientific_notation() {
        Map<String, Double> cores = new java.util.LinkedHashMap<>();
        cores.put("web", 0.00049);
        cores.put("referral-service", 0.634);
        assertThat(ProcessStats.format(cores)).isEqualTo("web 0.00, referral-service 0.63");
    }
}
