package org.tandem.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL from zonky's embedded binaries: database {@code tandem} with one schema per service, each owned
 * by its own login role that cannot reach the others, and database {@code apicurio} for the registry.
 */
final class Postgres {

    static final String NAME = "postgres";
    static final String SUPERUSER = "postgres";
    static final String SUPERUSER_PASSWORD = "postgres";

    private Postgres() {}

    static Path dataDir(StackConfig cfg) {
        return cfg.stateDir().resolve("postgres").resolve("data");
    }

    /**
     * PostgreSQL refuses to run as root. Then it runs in a user namespace in which our uid appears as
     * 'nobody': no privilege changes, and the files stay ours.
     */
    static List<String> asNonRoot(List<String> command) {
        List<String> out = new ArrayList<>();
        if (isRoot()) {
            out.addAll(List.of("unshare", "--user", "--map-user=65534", "--map-group=65534"));
        }
        out.addAll(command);
        return out;
    }

    static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    static ProcessHandle launch(StackConfig cfg) throws IOException {
        Path home = Artifacts.postgres(cfg);
        Path data = dataDir(cfg);
        if (!Files.isRegularFile(data.resolve("PG_VERSION"))) {
            initdb(cfg, home, data);
        }
        awaitPreviousPostmaster(data);
        return Processes.launch(
                cfg,
                NAME,
                asNonRoot(List.of(
                        home.resolve("bin/postgres").toString(),
                        "-D",
                        data.toString(),
                        "-p",
                        Integer.toString(cfg.port(Port.POSTGRES)),
                        "-c",
                        "listen_addresses=localhost",
                        // no unix socket: its path length is limited and nothing here needs it
                        "-c",
                        "unix_socket_directories=",
                        "-c",
                        "max_connections=200",
                        "-c",
                        "shared_buffers=64MB",
                        // fsync and full-page writes guard against a crash of the machine only: a crash or kill of
                        // PostgreSQL keeps what it wrote to the kernel. synchronous_commit stays on: with it off, a
                        // kill dropped commits already acknowledged, outbox rows among them
                        // (PostgresRestartDurabilityIT)
                        "-c",
                        "fsync=off",
                        "-c",
                        "full_page_writes=off",
                        // statement statistics for the benchmark's "where PostgreSQL's time goes" (docs/performance.md)
                        "-c",
                        "shared_preload_libraries=pg_stat_statements",
                        "-c",
                        "pg_stat_statements.track_planning=on")),
                data.getParent(),
                Map.of("LC_ALL", "C"));
    }

    /**
     * A postmaster that was just told to stop can outlive our wait for its launcher (on a loaded machine it is
     * still closing its backends), and a new one refuses to start while the old one's {@code postmaster.pid}
     * names a live process. So wait for a postmaster that still runs on this data directory, up to the stop's
     * grace period.
     *
     * <p>PostgreSQL judges "live" with {@code kill(pid, 0)}, which also succeeds for a zombie and for an
     * unrelated process that reused the pid. An exited postmaster stays a zombie until its parent reaps it, and
     * ours are orphans (they outlive the JVM that started them), reaped whenever the machine's init gets to it:
     * that is why a restart failed with "lock file postmaster.pid already exists" about 0.1 s after the old
     * postmaster had exited. So once no postmaster runs on this data directory, a lock file that is left is
     * stale, and it is removed here.
     */
    static void awaitPreviousPostmaster(Path data) throws IOException {
        Path lock = data.resolve("postmaster.pid");
        if (!Files.isRegularFile(lock)) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (postmasterRunningOn(data) && System.nanoTime() < deadline) {
            Processes.sleep(100);
        }
        if (postmasterRunningOn(data)) {
            return; // still running: PostgreSQL refuses with its own clear message
        }
        if (Files.deleteIfExists(lock)) {
            System.err.println("removed the stale " + lock + " (no postmaster runs on " + data + ")");
        }
    }

    /** A process that runs (not a zombie) the postgres binary on this data directory. */
    static boolean postmasterRunningOn(Path data) {
        String dir = data.toAbsolutePath().normalize().toString();
        return ProcessHandle.allProcesses()
                .filter(Processes::isAlive)
                .anyMatch(h ->
                        h.info().command().filter(c -> c.endsWith("/postgres")).isPresent()
                                && h.info()
                                        .arguments()
                                        .map(a -> java.util.Arrays.stream(a)
                                                .anyMatch(arg -> Path.of(arg)
                                                        .toAbsolutePath()
                                                        .normalize()
                                                        .toString()
                                                        .equals(dir)))
                                        .orElse(false));
    }

    private static void initdb(StackConfig cfg, Path home, Path data) throws IOException {
        Artifacts.deleteTree(data);
        Files.createDirectories(data.getParent());
        Path pwfile = data.getParent().resolve("superuser.pw");
        Files.writeString(pwfile, SUPERUSER_PASSWORD + "\n");
        Path log = cfg.logFile(NAME);
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(asNonRoot(List.of(
                        home.resolve("bin/initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        SUPERUSER,
                        "--pwfile=" + pwfile,
                        "--auth-host=scram-sha-256",
                        "--auth-local=trust",
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "--no-sync")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("LC_ALL", "C");
        try {
            Process p = pb.start();
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new StackException("initdb failed. See " + log + ":\n" + Processes.tail(log, 20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted during initdb", e);
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    static String url(StackConfig cfg, String db) {
        return "jdbc:postgresql://localhost:" + cfg.port(Port.POSTGRES) + "/" + db;
    }

    static Connection connect(StackConfig cfg, String db, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5");
        p.setProperty("ApplicationName", "tandem-devstack");
        return DriverManager.getConnection(url(cfg, db), p);
    }

    static boolean healthy(StackConfig cfg) {
        try (Connection c = connect(cfg, "postgres", SUPERUSER, SUPERUSER_PASSWORD);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select 1")) {
            return rs.next() && rs.getInt(1) == 1;
        } catch (SQLException e) {
            return false;
        }
    }

    static void awaitHealthy(StackConfig cfg, ProcessHandle process, Duration timeout) {
        Wait.until(
                "PostgreSQL on port " + cfg.port(Port.POSTGRES),
                timeout,
                process,
                cfg.logFile(NAME),
                () -> healthy(cfg));
    }

    /** Idempotent: creates what is missing and re-asserts the privileges. */
    static void provision(StackConfig cfg) {
        try (Connection c = connect(cfg, "postgres", SUPERUSER, SUPERUSER_PASSWORD);
                Statement s = c.createStatement()) {
            for (String svc : Endpoints.SERVICES) {
                ensureRole(s, svc + "_svc");
                ensureOwnerRole(s, auditOwner(svc));
            }
            ensureRole(s, "apicurio");
            ensureDatabase(s, "tandem", SUPERUSER);
            ensureDatabase(s, "apicurio", "apicurio");
            // nobody connects where they have no business
            s.execute("revoke all on database tandem from public");
            s.execute("revoke all on database apicurio from public");
            s.execute("grant connect, temporary on database apicurio to apicurio");
            for (String svc : Endpoints.SERVICES) {
                s.execute("grant connect, temporary on database tandem to " + svc + "_svc");
            }
        } catch (SQLException e) {
            throw new StackException("could not provision PostgreSQL: " + e.getMessage(), e);
        }
        try (Connection c = connect(cfg, "tandem", SUPERUSER, SUPERUSER_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("revoke all on schema public from public");
            s.execute("create extension if not exists pg_stat_statements schema public");
            for (String svc : Endpoints.SERVICES) {
                String role = svc + "_svc";
                s.execute("create schema if not exists " + svc + " authorization " + role);
                s.execute("alter schema " + svc + " owner to " + role);
                s.execute("revoke all on schema " + svc + " from public");
                // unqualified names land in the service's own schema
                s.execute("alter role " + role + " in database tandem set search_path = " + svc);
                provisionAuditLog(s, svc);
            }
        } catch (SQLException e) {
            throw new StackException("could not provision database tandem: " + e.getMessage(), e);
        }
    }

    /** The role that owns a service's audit log: it cannot log in; the superuser acts as it ({@code set role}). */
    static String auditOwner(String service) {
        return service + "_audit";
    }

    /** The schema of a service's audit log, owned by {@link #auditOwner(String)}. */
    static String auditSchema(String service) {
        return service + "_audit";
    }

    /**
     * The audit log of a service in a schema of its own, owned by a role the service cannot act as
     * ({@code audit-owner.sql}, docs/privacy.md "Audit trust model"). Entries the service wrote into its own
     * schema's {@code audit_log} before are copied once, with their sequence numbers and hashes.
     */
    static void provisionAuditLog(Statement s, String service) throws SQLException {
        String schema = auditSchema(service);
        String owner = auditOwner(service);
        s.execute("create schema if not exists " + schema + " authorization " + owner);
        s.execute("alter schema " + schema + " owner to " + owner);
        s.execute("revoke all on schema " + schema + " from public");
        s.execute(auditOwnerSql(schema, owner, service + "_svc"));
        boolean empty;
        try (ResultSet rs = s.executeQuery("select not exists (select 1 from " + schema + ".audit_log)")) {
            empty = rs.next() && rs.getBoolean(1);
        }
        boolean legacy;
        try (ResultSet rs = s.executeQuery("select to_regclass('" + service + ".audit_log') is not null")) {
            legacy = rs.next() && rs.getBoolean(1);
        }
        if (empty && legacy) {
            String columns = "seq, at, actor_subject, actor_org, action, resource_type, resource_id, concerned_orgs,"
                    + " outcome, prev_hash, hash";
            s.execute("insert into " + schema + ".audit_log (" + columns + ") overriding system value select " + columns
                    + " from " + service + ".audit_log order by seq");
            s.executeQuery("select setval(pg_get_serial_sequence('" + schema + ".audit_log', 'seq'),"
                            + " greatest(1, (select coalesce(max(seq), 0) from " + schema + ".audit_log)))")
                    .close();
        }
    }

    static String auditOwnerSql(String schema, String owner, String serviceRole) {
        try (var in = Postgres.class.getResourceAsStream("audit-owner.sql")) {
            String sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return sql.replace("${schema}", schema).replace("${owner}", owner).replace("${service}", serviceRole);
        } catch (IOException e) {
            throw new StackException("audit-owner.sql is missing from the devstack jar", e);
        }
    }

    private static void ensureOwnerRole(Statement s, String role) throws SQLException {
        try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = '" + role + "'")) {
            if (rs.next()) {
                s.execute("alter role " + role + " with nologin nosuperuser nocreatedb nocreaterole noinherit");
                return;
            }
        }
        s.execute("create role " + role + " with nologin nosuperuser nocreatedb nocreaterole noinherit");
    }

    private static void ensureRole(Statement s, String role) throws SQLException {
        try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = '" + role + "'")) {
            if (rs.next()) {
                s.execute("alter role " + role + " with login nosuperuser nocreatedb nocreaterole password '" + role
                        + "'");
                return;
            }
        }
        s.execute("create role " + role + " with login nosuperuser nocreatedb nocreaterole password '" + role + "'");
    }

    private static void ensureDatabase(Statement s, String db, String owner) throws SQLException {
        try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + db + "'")) {
            if (rs.next()) {
                return;
            }
        }
        s.execute("create database " + db + " owner " + owner + " encoding 'UTF8' template template0");
    }

    /**
     * PostgreSQL's fast shutdown (SIGINT): it refuses new sessions, ends the open ones, writes a shutdown checkpoint
     * and exits, so every acknowledged commit is on disk. Its smart shutdown (SIGTERM, what {@link Processes#stop}
     * sends) waits for every client to disconnect: a service's pool that reconnected kept it up for the whole grace
     * period, after which the stop killed it (docs/operations.md, "PostgreSQL restarts"). The SIGTERM that follows
     * is ignored by a postmaster already in fast shutdown.
     */
    static boolean stop(StackConfig cfg) {
        return Processes.stop(cfg, NAME, Duration.ofSeconds(20), Postgres::fastShutdown);
    }

    private static void fastShutdown(ProcessHandle postmaster) {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill command: the SIGTERM and, after the grace period, SIGKILL do the rest
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
