package org.tandem.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A commit that PostgreSQL acknowledged survives a restart or a crash of the local stack's PostgreSQL.
 *
 * <p>The short fault run once lost a committed referral acceptance across a PostgreSQL restart: the stop ended the
 * sessions, a service's pool reconnected before the smart shutdown began, smart shutdown waited the whole grace
 * period for that session, which kept committing, and the stop then killed the server. With
 * {@code synchronous_commit=off} the last acknowledged commits were still in PostgreSQL's WAL buffers and crash
 * recovery dropped them, outbox rows included (docs/operations.md, "PostgreSQL restarts"). Here clients commit
 * numbered rows in a loop and reconnect at once after every failure, like a service's pool, while the server is
 * stopped or killed; every number that a commit acknowledged must be there after the start.
 */
class PostgresRestartDurabilityIT {

    static final AtomicInteger NEXT_RUN = new AtomicInteger();
    static StackConfig cfg;
    static ProcessHandle postgres;

    @BeforeAll
    static void start() throws Exception {
        int base = StackConfig.intEnv(System.getenv(), "TANDEM_DEVSTACK_DURABILITY_IT_PORT_BASE", 23500);
        cfg = StackConfig.builder()
                .stateDir(Path.of("target", "postgres-durability-it").toAbsolutePath())
                .portBase(base)
                .fresh(true)
                .build();
        Artifacts.deleteTree(cfg.stateDir());
        launch();
        try (Connection c = superuser();
                Statement s = c.createStatement()) {
            s.execute("create table acknowledged (n integer primary key)");
        }
    }

    @AfterAll
    static void stop() {
        if (cfg != null) {
            Postgres.stop(cfg);
        }
    }

    @Test
    void a_restart_keeps_every_acknowledged_commit_and_shuts_down_cleanly() throws Exception {
        Writers writers = Writers.start(8);
        try {
            writers.awaitCommits(2_000);
            assertThat(Postgres.stop(cfg)).isTrue();
            launch();
        } finally {
            writers.stop();
        }
        assertNoneLost(writers.acknowledged());
        assertThat(lastStartLog())
                .as("the restart found a cleanly shut down cluster, not one to recover after a kill")
                .doesNotContain("not properly shut down");
    }

    @Test
    void a_killed_server_keeps_every_acknowledged_commit() throws Exception {
        Writers writers = Writers.start(8);
        try {
            writers.awaitCommits(2_000);
            ProcessHandle h = postgres;
            List<ProcessHandle> children = h.descendants().toList();
            h.destroyForcibly(); // SIGKILL of the postmaster, as the fault run's crash does
            h.onExit().get();
            // its backends and WAL writer end on the postmaster's death; wait for them before the start
            Processes.waitForExit(children, Duration.ofSeconds(30));
            launch();
        } finally {
            writers.stop();
        }
        assertNoneLost(writers.acknowledged());
    }

    private static void assertNoneLost(Set<Integer> acknowledged) throws SQLException {
        assertThat(acknowledged).as("commits acknowledged under load").isNotEmpty();
        java.util.TreeSet<Integer> lost = new java.util.TreeSet<>(acknowledged);
        lost.removeAll(stored());
        assertThat(lost.size())
                .as(
                        "acknowledged commits missing after the start, of %d acknowledged (the first: %s)",
                        acknowledged.size(), lost.stream().limit(10).toList())
                .isZero();
    }

    private static void launch() throws Exception {
        postgres = Postgres.launch(cfg);
        Postgres.awaitHealthy(cfg, postgres, Duration.ofSeconds(60));
    }

    private static Connection superuser() throws SQLException {
        return Postgres.connect(cfg, "postgres", Postgres.SUPERUSER, Postgres.SUPERUSER_PASSWORD);
    }

    private static Set<Integer> stored() throws SQLException {
        Set<Integer> out = new HashSet<>();
        try (Connection c = superuser();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select n from acknowledged")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    /** The server log from the last start on. */
    private static String lastStartLog() throws Exception {
        String log = Files.readString(cfg.logFile(Postgres.NAME));
        return log.substring(Math.max(0, log.lastIndexOf("starting PostgreSQL")));
    }

    /** Threads that each commit the next number in a loop and reconnect at once after a failure. */
    private record Writers(List<Thread> threads, AtomicBoolean running, AtomicInteger next, Set<Integer> acked) {

        static Writers start(int count) {
            // numbers go on across tests, so that each test checks its own
            Writers w = new Writers(
                    new ArrayList<>(),
                    new AtomicBoolean(true),
                    new AtomicInteger(NEXT_RUN.getAndAdd(10_000_000)),
                    ConcurrentHashMap.newKeySet());
            for (int i = 0; i < count; i++) {
                w.threads.add(Thread.ofPlatform().name("writer-" + i).start(w::write));
            }
            return w;
        }

        private void write() {
            while (running.get()) {
                try (Connection c = superuser();
                        Statement s = c.createStatement()) {
                    while (running.get()) {
                        int n = next.getAndIncrement();
                        s.executeUpdate("insert into acknowledged values (" + n + ")");
                        acked.add(n); // autocommit: the insert returned, so its commit was acknowledged
                    }
                } catch (SQLException e) {
                    // refused or ended by the stop: reconnect at once, as a pool does
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            }
        }

        void awaitCommits(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (acked.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(acked).as("commits before the fault").hasSizeGreaterThanOrEqualTo(count);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }

        Set<Integer> acknowledged() {
            return Set.copyOf(acked);
        }
    }
}
