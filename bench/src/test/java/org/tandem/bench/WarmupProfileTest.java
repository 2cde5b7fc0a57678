package org.tandem.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class WarmupProfileTest {

    static final Object LOCK = new Object();

    /** Only this test calls it, so the JIT compiles it while the recording runs, whatever ran in this JVM before. */
    static long spin(int i) {
        return (i * 31L) ^ (i >>> 3);
    }

    /**
     * Work the JIT must compile, a monitor one thread holds while another waits on it, and a collection; after a
     * first second, so that the recording's first counters are taken before it (other tests in this JVM may have
     * compiled everything else already).
     */
    static long busy() throws Exception {
        Thread.sleep(1_200);
        long sum = 0;
        Thread holder = Thread.ofPlatform().start(() -> {
            synchronized (LOCK) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Thread.sleep(50);
        synchronized (LOCK) {
            sum++;
        }
        holder.join();
        long until = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < until) {
            for (int i = 0; i < 100_000; i++) {
                sum += spin(i);
            }
        }
        System.gc(); // a pause the recording sees
        return sum;
    }

    @Test
    void a_recording_of_this_jvm_shows_its_compilations_its_gc_pause_and_the_monitor_it_waited_on(@TempDir Path dir)
            throws Exception {
        Path jfr = dir.resolve("self.jfr");
        Instant origin = Instant.now();
        try (Recording r = new Recording(Configuration.getConfiguration("profile"))) {
            r.enable("jdk.SafepointBegin");
            r.enable("jdk.JavaMonitorEnter").withThreshold(java.time.Duration.ofMillis(1));
            r.enable("jdk.ThreadCPULoad").withPeriod(java.time.Duration.ofSeconds(1));
            r.enable("jdk.CompilerStatistics").withPeriod(java.time.Duration.ofSeconds(1));
            r.enable("jdk.ClassLoadingStatistics").withPeriod(java.time.Duration.ofSeconds(1));
            r.start();
            assertThat(busy()).isNotZero();
            Thread.sleep(1_100); // one more period of the counters
            r.stop();
            r.dump(jfr);
        }
        WarmupProfile.Summary s = WarmupProfile.summarise("self", jfr, origin);
        assertThat(s.windows()).isNotEmpty();
        WarmupProfile.Window first = s.windows().getFirst();
        long compiles =
                s.windows().stream().mapToLong(WarmupProfile.Window::compiles).sum();
        assertThat(compiles).as("methods compiled while the loop ran").isPositive();
        assertThat(s.windows().stream()
                        .mapToDouble(WarmupProfile.Window::gcPauseMillis)
                        .sum())
                .as("the pause of System.gc()")
                .isPositive();
        assertThat(first.monitorWaitMillis()).as("the wait on LOCK").isGreaterThan(100);
        assertThat(s.monitorMillisByClass()).containsKey("java.lang.Object");
        assertThat(first.jitShare()).isBetween(0.0, 1.0);
        assertThat(Files.size(jfr)).isPositive();
    }

    @Test
    void the_table_gives_every_window_from_ready_and_the_monitors() {
        var s = new WarmupProfile.Summary(
                "referral-service",
                List.of(
                        new WarmupProfile.Window(0, 0.42, 1200, 8400, 3, 900, 12.5, 20.1, 0),
                        new WarmupProfile.Window(1, -1, 0, 0, 0, 0, 0, 0, 3.25)),
                Map.of("org.tandem.Foo", 3.25));
        String md = WarmupProfile.markdown(List.of(s));
        assertThat(md)
                .contains("## referral-service")
                .contains("| 0–10 | 42% | 1200 | 8400 | 3 | 900 | 12.5 | 20.1 | 0.0 |")
                .contains("| 10–20 | - | 0 | 0 | 0 | 0 | 0.0 | 0.0 | 3.3 |")
                .contains("`org.tandem.Foo` 3.3");
    }
}
