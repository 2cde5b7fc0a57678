package org.tandem.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Starts long-lived servers in their own session ({@code setsid}), so that a wrapper's process-group kill
 * does not take them down, and keeps each pid in a file, so that stopping ends exactly what was started.
 */
final class Processes {

    /** Begins the line that {@link #launch} writes into a server's log before each start. */
    static final String START_MARKER = "---- ";

    /** A line that reports why a server stopped: a log level of ERROR or FATAL, or a Java exception. */
    private static final Pattern ERROR_LINE = Pattern.compile("\\b(ERROR|FATAL)\\b|\\b[\\w.$]+(Exception|Error): ");

    private Processes() {}

    /** A pid plus the start time of that process, so that a reused pid is not mistaken for ours. */
    record PidRecord(long pid, long startMillis) {}

    static ProcessHandle launch(
            StackConfig cfg, String name, List<String> command, Path workDir, Map<String, String> env)
            throws IOException {
        Files.createDirectories(cfg.logDir());
        Files.createDirectories(cfg.pidDir());
        Files.createDirectories(workDir);
        Path log = cfg.logFile(name);
        Files.writeString(
                log,
                START_MARKER + Instant.now() + " starting " + name + ": " + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        List<String> full = new ArrayList<>();
        full.add("setsid");
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        // setsid execs in place when its caller is not a group leader, which a JVM's child never is, so
        // this pid is the server's (or the script's) and also its process group id.
        ProcessHandle h = p.toHandle();
        long start = h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        Files.writeString(cfg.pidFile(name), h.pid() + "\n" + start + "\n");
        return h;
    }

    static Optional<PidRecord> readPid(StackConfig cfg, String name) {
        Path f = cfg.pidFile(name);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(f);
            long pid = Long.parseLong(lines.get(0).trim());
            long start = lines.size() > 1 ? Long.parseLong(lines.get(1).trim()) : 0L;
            return Optional.of(new PidRecord(pid, start));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The process that the pid file names, if it is still the same process and alive. */
    static Optional<ProcessHandle> running(StackConfig cfg, String name) {
        return readPid(cfg, name).flatMap(Processes::alive);
    }

    static Optional<ProcessHandle> alive(PidRecord rec) {
        Optional<ProcessHandle> h = ProcessHandle.of(rec.pid());
        if (h.isEmpty() || !isAlive(h.get())) {
            return Optional.empty();
        }
        if (rec.startMillis() != 0) {
            long actual =
                    h.get().info().startInstant().map(Instant::toEpochMilli).orElse(rec.startMillis());
            if (Math.abs(actual - rec.startMillis()) > 2000) {
                return Optional.empty(); // the pid was reused by some other process
            }
        }
        return h;
    }

    /** Alive and not a zombie waiting to be reaped. */
    static boolean isAlive(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
            int i = stat.lastIndexOf(')');
            return i < 0 || i + 2 >= stat.length() || stat.charAt(i + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops the process named by the pid file and everything it started: SIGTERM to the leader and all its
     * descendants, then SIGKILL to whatever is left after the grace period. Returns true when something was
     * running. Signals go through {@link ProcessHandle}, so no {@code kill} binary is needed.
     */
    static boolean stop(StackConfig cfg, String name, Duration grace) {
        return stop(cfg, name, grace, h -> {});
    }

    /** As {@link #stop(StackConfig, String, Duration)}, with a gentler first step (e.g. closing sessions). */
    static boolean stop(
            StackConfig cfg, String name, Duration grace, java.util.function.Consumer<ProcessHandle> before) {
        Optional<PidRecord> rec = readPid(cfg, name);
        if (rec.isEmpty()) {
            return false;
        }
        Optional<ProcessHandle> leader = alive(rec.get());
        boolean wasRunning = leader.isPresent();
        if (wasRunning) {
            ProcessHandle h = leader.get();
            before.accept(h);
            List<ProcessHandle> all = new ArrayList<>();
            all.add(h);
            h.descendants().forEach(all::add);
            h.destroy(); // the leader first: kc.sh forwards it, postgres shuts its workers down in order
            if (!waitForExit(List.of(h), grace)) {
                h.destroyForcibly();
            }
            all.stream().filter(Processes::isAlive).forEach(ProcessHandle::destroy);
            if (!waitForExit(all, Duration.ofSeconds(10))) {
                all.stream().filter(Processes::isAlive).forEach(ProcessHandle::destroyForcibly);
                waitForExit(all, Duration.ofSeconds(5));
            }
        }
        try {
            Files.deleteIfExists(cfg.pidFile(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return wasRunning;
    }

    static boolean waitForExit(List<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (handles.stream().noneMatch(Processes::isAlive)) {
                return true;
            }
            sleep(100);
        }
        return handles.stream().noneMatch(Processes::isAlive);
    }

    static String tail(Path log, int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log yet)";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * The first {@code max} lines of the log (since its last start marker) that report an error: a server that
     * fails to bind its port logs the reason early and then many lines of orderly shutdown, so the tail alone
     * does not say why.
     */
    static String firstErrors(Path log, int max) {
        try {
            if (!Files.exists(log)) {
                return "(no log yet)";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            int from = 0;
            for (int i = all.size() - 1; i >= 0; i--) {
                if (all.get(i).startsWith(START_MARKER)) {
                    from = i;
                    break;
                }
            }
            List<String> errors = all.subList(from, all.size()).stream()
                    .filter(l -> ERROR_LINE.matcher(l).find())
                    .limit(max)
                    .map(l -> l.length() > 400 ? l.substring(0, 400) + " ..." : l)
                    .toList();
            return errors.isEmpty() ? "(none)" : String.join("\n", errors);
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The java binary of the JVM running this code; Apicurio and the services need 21+, as we do. */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
