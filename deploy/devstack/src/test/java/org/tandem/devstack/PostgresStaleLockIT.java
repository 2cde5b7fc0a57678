package org.tandem.devstack;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL restart must not fail on the old postmaster's lock file. PostgreSQL takes a lock file whose pid
 * answers {@code kill(pid, 0)} for a running postmaster, and so refuses to start when the pid is a zombie (an
 * exited postmaster not yet reaped) or a process that reused the pid. Both are played here with real processes
 * against the real PostgreSQL binaries.
 */
class PostgresStaleLockIT {

    static StackConfig cfg;
    static ProcessHandle postgres;

    @BeforeAll
    static void initialiseTheDataDirectory() throws Exception {
        int base = StackConfig.intEnv(System.getenv(), "TANDEM_DEVSTACK_LOCK_IT_PORT_BASE", 23400);
        cfg = StackConfig.builder()
                .stateDir(Path.of("target", "postgres-stale-lock-it").toAbsolutePath())
                .portBase(base)
                .fresh(true)
                .build();
        Artifacts.deleteTree(cfg.stateDir());
        startAndStop();
    }

    @AfterAll
    static void stop() {
        if (cfg != null) {
            Postgres.stop(cfg);
        }
    }

    @Test
    void startsWhenTheLockFileNamesAZombie() throws Exception {
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 60").start();
        try {
            long zombie = Long.parseLong(firstLine(parent));
            awaitZombie(zombie);
            writeLockFile(zombie);

            startAndStop();
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }

    @Test
    void startsWhenTheLockFileNamesAnotherLiveProcess() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            writeLockFile(other.pid());

            startAndStop();
            assertThat(other.isAlive())
                    .as("the unrelated process is left alone")
                    .isTrue();
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    private static void startAndStop() throws Exception {
        ProcessHandle h = Postgres.launch(cfg);
        Postgres.awaitHealthy(cfg, h, Duration.ofSeconds(60));
        assertThat(Postgres.healthy(cfg)).isTrue();
        assertThat(Postgres.postmasterRunningOn(Postgres.dataDir(cfg))).isTrue();
        assertThat(Postgres.stop(cfg)).isTrue();
        assertThat(Postgres.postmasterRunningOn(Postgres.dataDir(cfg))).isFalse();
    }

    /** The lock file a postmaster leaves when it dies without cleaning up: its pid and data directory. */
    private static void writeLockFile(long pid) throws Exception {
        Path data = Postgres.dataDir(cfg);
        Files.writeString(data.resolve("postmaster.pid"), pid + "\n" + data + "\n");
    }

    private static String firstLine(Process p) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            return r.readLine().trim();
        }
    }

    private static void awaitZombie(long pid) throws Exception {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        for (int i = 0; i < 100; i++) {
            if (Files.exists(stat)) {
                String s = Files.readString(stat);
                if (s.charAt(s.lastIndexOf(')') + 2) == 'Z') {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no zombie with pid " + pid);
    }
}
