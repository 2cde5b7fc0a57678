package org.tandem.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * PostgreSQL, Kafka, Apicurio Registry and Keycloak, started natively into one state dir.
 *
 * <pre>{@code
 * StackConfig cfg = StackConfig.builder().stateDir(dir).portBase(28000).fresh(true).build();
 * try (Infrastructure infra = Infrastructure.start(cfg)) {
 *     Endpoints e = infra.endpoints();
 * }
 * }</pre>
 *
 * {@link #start} is idempotent: a stack that already runs healthy in that state dir is reused as it is
 * (even with {@code fresh}); parts that are down are started.
 */
public final class Infrastructure implements AutoCloseable {

    /** A part of the stack, in start order. */
    public enum Part {
        POSTGRES(Postgres.NAME, Port.POSTGRES),
        KAFKA(Kafka.NAME, Port.KAFKA),
        APICURIO(Apicurio.NAME, Port.APICURIO),
        KEYCLOAK(Keycloak.NAME, Port.KEYCLOAK);

        private final String processName;
        private final Port port;

        Part(String processName, Port port) {
            this.processName = processName;
            this.port = port;
        }

        public String processName() {
            return processName;
        }

        public Port port() {
            return port;
        }
    }

    /** What {@link #status} found for one process. */
    public record Status(String name, Long pid, int port, boolean healthy) {
        public boolean running() {
            return pid != null;
        }
    }

    private final StackConfig cfg;
    private final Endpoints endpoints;

    private Infrastructure(StackConfig cfg) {
        this.cfg = cfg;
        this.endpoints = Endpoints.of(cfg);
    }

    /** For a stack that runs already (or to stop one): starts nothing. */
    public static Infrastructure attach(StackConfig cfg) {
        return new Infrastructure(cfg);
    }

    public static Infrastructure start(StackConfig cfg) {
        Infrastructure infra = new Infrastructure(cfg);
        try {
            Files.createDirectories(cfg.stateDir());
            try (FileChannel ch = FileChannel.open(
                            cfg.stateDir().resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                infra.doStart();
            }
        } catch (IOException e) {
            throw new StackException("could not start the stack in " + cfg.stateDir() + ": " + e, e);
        }
        return infra;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public StackConfig config() {
        return cfg;
    }

    /** Stops everything this state dir started, services included. */
    public void stop() {
        stop(cfg);
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops everything the state dir's pid files name: services first, PostgreSQL last. */
    public static void stop(StackConfig cfg) {
        List<CompletableFuture<Void>> first = new ArrayList<>();
        first.add(CompletableFuture.runAsync(() -> Services.stop(cfg)));
        first.add(CompletableFuture.runAsync(() -> Keycloak.stop(cfg)));
        first.add(CompletableFuture.runAsync(() -> Apicurio.stop(cfg)));
        CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).join();
        Kafka.stop(cfg);
        Postgres.stop(cfg);
    }

    /** Every process the state dir knows of, with its pid (null when down) and health. */
    public static List<Status> status(StackConfig cfg) {
        List<Status> out = new ArrayList<>();
        Map<Part, Predicate<StackConfig>> health = Map.of(
                Part.POSTGRES,
                Postgres::healthy,
                Part.KAFKA,
                Kafka::healthy,
                Part.APICURIO,
                Apicurio::healthy,
                Part.KEYCLOAK,
                Keycloak::healthy);
        for (Part p : Part.values()) {
            Optional<ProcessHandle> h = Processes.running(cfg, p.processName());
            out.add(new Status(
                    p.processName(),
                    h.map(ProcessHandle::pid).orElse(null),
                    cfg.port(p.port()),
                    h.isPresent() && health.get(p).test(cfg)));
        }
        out.addAll(Services.status(cfg));
        return out;
    }

    private void doStart() throws IOException {
        long t0 = System.nanoTime();
        Map<Part, Optional<ProcessHandle>> running = new LinkedHashMap<>();
        for (Part p : Part.values()) {
            running.put(p, Processes.running(cfg, p.processName()));
        }
        boolean allUp = running.values().stream().allMatch(Optional::isPresent) && healthyNow();
        checkPortsRecord(allUp);
        if (allUp) {
            log("stack in " + cfg.stateDir() + " is already running; reusing it");
            provision();
            endpoints.writeTo(cfg.endpointsFile());
            return;
        }
        if (cfg.fresh()) {
            log("fresh start in " + cfg.stateDir());
            stop(cfg);
            for (String dir : List.of("postgres", "kafka", "apicurio")) {
                Artifacts.deleteTree(cfg.stateDir().resolve(dir));
            }
            Files.deleteIfExists(cfg.endpointsFile());
            running.replaceAll((k, v) -> Optional.empty());
        }
        writePortsRecord();

        Map<Part, ProcessHandle> started = new LinkedHashMap<>();
        Duration timeout = cfg.startTimeout();
        try {
            // Keycloak is the slowest and needs nothing else, so it goes first; the rest follow dependencies.
            ProcessHandle keycloak = launchIfDown(Part.KEYCLOAK, running, started, c -> io(() -> Keycloak.launch(c)));
            ProcessHandle postgres = launchIfDown(Part.POSTGRES, running, started, c -> io(() -> Postgres.launch(c)));
            ProcessHandle kafka = launchIfDown(Part.KAFKA, running, started, c -> io(() -> Kafka.launch(c)));

            Postgres.awaitHealthy(cfg, postgres, timeout);
            Postgres.provision(cfg);
            log("PostgreSQL ready on port " + cfg.port(Port.POSTGRES) + " after " + secondsSince(t0));
            ProcessHandle apicurio = launchIfDown(Part.APICURIO, running, started, c -> io(() -> Apicurio.launch(c)));

            Kafka.awaitHealthy(cfg, kafka, timeout);
            Kafka.provision(cfg);
            log("Kafka ready on port " + cfg.port(Port.KAFKA) + " after " + secondsSince(t0));

            Apicurio.awaitHealthy(cfg, apicurio, timeout);
            Apicurio.provision(cfg);
            log("Apicurio Registry ready on port " + cfg.port(Port.APICURIO) + " after " + secondsSince(t0));

            Keycloak.awaitHealthy(cfg, keycloak, timeout);
            Keycloak.rememberAugmentation(cfg);
            log("Keycloak ready on port " + cfg.port(Port.KEYCLOAK) + " after " + secondsSince(t0));
        } catch (RuntimeException e) {
            log("start-up failed; stopping what this attempt started. Logs stay in " + cfg.logDir());
            stopParts(started.keySet());
            throw e;
        }
        endpoints.writeTo(cfg.endpointsFile());
        log("infrastructure ready after " + secondsSince(t0) + "; endpoints in " + cfg.endpointsFile());
    }

    private void provision() {
        Postgres.provision(cfg);
        Kafka.provision(cfg);
        Apicurio.provision(cfg);
    }

    private boolean healthyNow() {
        return Postgres.healthy(cfg) && Kafka.healthy(cfg) && Apicurio.healthy(cfg) && Keycloak.healthy(cfg);
    }

    private ProcessHandle launchIfDown(
            Part part,
            Map<Part, Optional<ProcessHandle>> running,
            Map<Part, ProcessHandle> started,
            Function<StackConfig, ProcessHandle> launcher) {
        Optional<ProcessHandle> existing = running.get(part);
        if (existing.isPresent()) {
            return existing.get(); // still starting, or healthy: wait for it below
        }
        requireFree(part.port());
        if (part == Part.KAFKA) {
            requireFree(Port.KAFKA_CONTROLLER);
        } else if (part == Part.APICURIO) {
            requireFree(Port.APICURIO_MANAGEMENT);
        } else if (part == Part.KEYCLOAK) {
            requireFree(Port.KEYCLOAK_MANAGEMENT);
        }
        ProcessHandle h = launcher.apply(cfg);
        started.put(part, h);
        return h;
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void requireFree(Port port) {
        int p = cfg.port(port);
        if (!isFree(p)) {
            throw new StackException("port " + p + " (" + port
                    + ") is in use by a process this state dir did not start."
                    + " Stop it, or choose other ports with --port-base / TANDEM_PORT_BASE or " + port.envName() + ".");
        }
    }

    /** Stops one part the way {@link #stop(StackConfig)} would (for a fault run that restarts a broker). */
    public static void stopPart(StackConfig cfg, Part part) {
        new Infrastructure(cfg).stopParts(List.of(part));
    }

    /** The pid of a running part, if it runs. */
    public static Optional<Long> pid(StackConfig cfg, Part part) {
        return Processes.running(cfg, part.processName()).map(ProcessHandle::pid);
    }

    private void stopParts(Iterable<Part> parts) {
        for (Part p : parts) {
            switch (p) {
                case POSTGRES -> Postgres.stop(cfg);
                case KAFKA -> Kafka.stop(cfg);
                case APICURIO -> Apicurio.stop(cfg);
                case KEYCLOAK -> Keycloak.stop(cfg);
            }
        }
    }

    /** Kafka's controller address is written into its storage at format time, so ports stick to a state dir. */
    private void checkPortsRecord(boolean allUp) throws IOException {
        Path f = cfg.stateDir().resolve("ports.properties");
        if (!Files.exists(f) || cfg.fresh() && !allUp) {
            return;
        }
        Properties old = new Properties();
        try (Reader r = Files.newBufferedReader(f)) {
            old.load(r);
        }
        for (Port p : List.of(Port.KAFKA, Port.KAFKA_CONTROLLER)) {
            String before = old.getProperty(p.name());
            if (before != null && !before.equals(Integer.toString(cfg.port(p)))) {
                throw new StackException("state dir " + cfg.stateDir() + " was set up with " + p + " = " + before
                        + ", now " + cfg.port(p) + ". Start with --fresh (wipes its data) or use another --state-dir.");
            }
        }
    }

    private void writePortsRecord() throws IOException {
        Properties p = new Properties();
        cfg.ports().forEach((k, v) -> p.setProperty(k.name(), Integer.toString(v)));
        try (Writer w = Files.newBufferedWriter(cfg.stateDir().resolve("ports.properties"))) {
            p.store(w, "ports this state dir was started with");
        }
    }

    interface IoSupplier<T> {
        T get() throws IOException, InterruptedException;
    }

    static <T> T io(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new StackException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    static String secondsSince(long t0) {
        return String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
    }

    static void log(String msg) {
        System.out.println("[devstack] " + msg);
    }
}
