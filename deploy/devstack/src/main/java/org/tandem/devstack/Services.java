package org.tandem.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The three Tandem services, each run from its Quarkus fast-jar ({@code <module>/target/quarkus-app}) with
 * the same JDK, configured through environment variables. A service whose jar is missing is skipped with a
 * warning.
 */
public final class Services {

    /** A service: its short name (as in {@link Endpoints#dbUser}), its Maven module and its port. */
    public record Service(String name, String module, Port port) {
        public String processName() {
            return module;
        }

        public Path jar(Path repoRoot) {
            return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        }
    }

    public static final List<Service> ALL = List.of(
            new Service("registry", "registry-service", Port.REGISTRY),
            new Service("referral", "referral-service", Port.REFERRAL),
            new Service("notification", "notification-service", Port.NOTIFICATION),
            new Service("web", "web", Port.WEB));

    static final String HEAP = "-Xms64m -Xmx256m";

    /**
     * Native memory handed back (docs/performance.md, "Native memory handed back"): the JVM trims the C heap every
     * 10 s, and glibc keeps two malloc arenas instead of up to eight per core, so that what the JIT and a burst of
     * worker threads allocated returns to the operating system. Measured: 14–37 MiB less resident per service after
     * the load, no change in CPU per transition. The images set the same (pom.xml, {@code quarkus.jib.*}).
     */
    static final String TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=10000";

    static final Map<String, String> NATIVE_MEMORY_ENV = Map.of("MALLOC_ARENA_MAX", "2");

    /**
     * The compiled code a JVM may allocate before a collection unloads the code no longer used, as a share of the code
     * cache (240 MiB): 40% instead of the JDK's 15% (docs/performance.md, "A full collection for the code cache").
     * With the serial collector that collection is a full one; at 15% referral-service reached it in its first two
     * minutes under load in both runs measured, while the JIT replaced its profiled code, and paused 210–306 ms, the
     * slowest window of the warm-up curve around it. The live compiled code stays at 16–36 MiB either way. The images
     * set the same (pom.xml).
     */
    static final String CODE_CACHE_UNLOADING = "-XX:SweeperThreshold=40";

    /** How long a training run's service may take to write its AOT cache when it stops. */
    static final Duration TRAINING_STOP = Duration.ofMinutes(5);

    private final StackConfig cfg;
    private final Path repoRoot;
    private final List<Service> started;
    private final List<Service> skipped;
    private final Map<Instance, Duration> readyAfter;

    private Services(
            StackConfig cfg,
            Path repoRoot,
            List<Service> started,
            List<Service> skipped,
            Map<Instance, Duration> readyAfter) {
        this.cfg = cfg;
        this.repoRoot = repoRoot;
        this.started = List.copyOf(started);
        this.skipped = List.copyOf(skipped);
        this.readyAfter = Map.copyOf(readyAfter);
    }

    /**
     * (Re)starts every service whose jar exists, so that a rebuilt jar is what runs, and waits until each
     * answers {@code /q/health/ready}.
     */
    public static Services start(StackConfig cfg, Endpoints endpoints, Path repoRoot) {
        return start(cfg, endpoints, repoRoot, Map.of());
    }

    /**
     * As {@link #start(StackConfig, Endpoints, Path)}, with extra environment variables for every service
     * (a benchmark or a fuzz run raising the per-organisation rate limit, for instance). With
     * {@link StackConfig#instances()} above 1, each service but the web application runs that many instances,
     * and a {@link RoundRobin} on the service's port spreads requests over them.
     */
    public static Services start(StackConfig cfg, Endpoints endpoints, Path repoRoot, Map<String, String> extraEnv) {
        if (cfg.jvmCache() == JvmCache.Mode.TRAIN && cfg.instances() > 1) {
            throw new IllegalArgumentException("a training run writes one AOT cache per service: run one instance");
        }
        List<Service> started = new ArrayList<>();
        List<Service> skipped = new ArrayList<>();
        Map<Instance, ProcessHandle> handles = new LinkedHashMap<>();
        MailSink.startIfDown(cfg);
        TraceSink.startIfDown(cfg);
        stopRoundRobin(cfg);
        // every old process stops before the first new one starts, so that all start side by side and each one's
        // time to ready is its own, not lengthened by the others' shutdown
        for (Service s : ALL) {
            for (String name : everyProcessName(s)) {
                Processes.stop(cfg, name, Duration.ofSeconds(20));
            }
        }
        for (Service s : ALL) {
            Path jar = s.jar(repoRoot);
            if (!Files.isRegularFile(jar)) {
                System.out.println("[devstack] WARNING: " + jar + " is missing, so " + s.module()
                        + " is not started. Build it with ./tandem mvn -B package -DskipTests");
                skipped.add(s);
                continue;
            }
            for (Instance i : instances(cfg, s)) {
                handles.put(i, launch(cfg, endpoints, repoRoot, i, extraEnv));
            }
        }
        Map<Instance, Duration> readyAfter;
        try {
            readyAfter = awaitReady(cfg, handles);
            for (Instance i : handles.keySet()) {
                System.out.printf(
                        Locale.ROOT,
                        "[devstack] %s ready on port %d, %.1f s after its process started%n",
                        i.processName(),
                        i.port(cfg),
                        readyAfter.get(i).toMillis() / 1000.0);
                if (!started.contains(i.service())) {
                    started.add(i.service());
                }
            }
            startRoundRobin(cfg, started);
        } catch (RuntimeException ex) {
            stop(cfg);
            throw ex;
        }
        return new Services(cfg, repoRoot, started, skipped, readyAfter);
    }

    /**
     * Waits for every instance at once, each on its own thread, and gives each one's time from its process's
     * start (its start time in {@code /proc}, not Quarkus's "started in") to its first ready answer, so that one
     * slow service does not lengthen the others' figures. The first failure is thrown once all have ended.
     */
    static Map<Instance, Duration> awaitReady(StackConfig cfg, Map<Instance, ProcessHandle> handles) {
        Map<Instance, Future<Duration>> waits = new LinkedHashMap<>();
        try (var pool = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("devstack-wait-", 0).factory())) {
            for (var e : handles.entrySet()) {
                Instance i = e.getKey();
                ProcessHandle h = e.getValue();
                waits.put(i, pool.submit(() -> awaitReady(cfg, i, h)));
            }
        }
        Map<Instance, Duration> out = new LinkedHashMap<>();
        RuntimeException first = null;
        for (var w : waits.entrySet()) {
            try {
                out.put(w.getKey(), w.getValue().get());
            } catch (ExecutionException ex) {
                if (first == null) {
                    first = ex.getCause() instanceof RuntimeException r
                            ? r
                            : new StackException(ex.getCause().toString());
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for the services");
            }
        }
        if (first != null) {
            throw first;
        }
        return out;
    }

    /**
     * One running copy of a service: number 0 when the stack runs one of each (process name and port are the
     * service's own), else 1..{@link StackConfig#instances()}, each with its own process name (so its own pid
     * and log file) and port ({@link StackConfig#instancePort}).
     */
    public record Instance(Service service, int number) {
        public String processName() {
            return number == 0 ? service.processName() : service.processName() + "-" + number;
        }

        public int port(StackConfig cfg) {
            return number == 0 ? cfg.port(service.port()) : cfg.instancePort(service.port(), number);
        }

        @Override
        public String toString() {
            return processName();
        }
    }

    /** Whether the service runs several instances behind a round-robin (the web application never does). */
    static boolean scaled(StackConfig cfg, Service s) {
        return cfg.instances() > 1 && s.port() != Port.WEB;
    }

    /** The instances of a service that this configuration runs. */
    public static List<Instance> instances(StackConfig cfg, Service s) {
        if (!scaled(cfg, s)) {
            return List.of(new Instance(s, 0));
        }
        List<Instance> out = new ArrayList<>();
        for (int i = 1; i <= cfg.instances(); i++) {
            out.add(new Instance(s, i));
        }
        return out;
    }

    /** Every process name a service may run under, whatever the number of instances it was started with. */
    private static List<String> everyProcessName(Service s) {
        List<String> out = new ArrayList<>();
        out.add(new Instance(s, 0).processName());
        for (int i = 1; i <= StackConfig.MAX_INSTANCES; i++) {
            out.add(new Instance(s, i).processName());
        }
        return out;
    }

    /** The round-robin process in front of the scaled services, when there are any. */
    private static void startRoundRobin(StackConfig cfg, List<Service> started) {
        List<String> routes = new ArrayList<>();
        List<Service> fronted = new ArrayList<>();
        for (Service s : started) {
            if (scaled(cfg, s)) {
                List<Integer> ports =
                        instances(cfg, s).stream().map(i -> i.port(cfg)).toList();
                routes.add(new RoundRobin.Route(cfg.port(s.port()), ports).arg());
                fronted.add(s);
                if (!Infrastructure.isFree(cfg.port(s.port()))) {
                    throw new StackException("port " + cfg.port(s.port()) + " (" + s.port() + ") for the round-robin"
                            + " in front of " + s.module() + " is in use by a process this state dir did not start."
                            + " Stop it, or choose other ports with --port-base / TANDEM_PORT_BASE.");
                }
            }
        }
        if (routes.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(
                Processes.javaBinary(),
                "-Xms16m",
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                RoundRobin.class.getName()));
        cmd.addAll(routes);
        ProcessHandle h;
        try {
            h = Processes.launch(cfg, RoundRobin.NAME, cmd, cfg.stateDir().resolve(RoundRobin.NAME), Map.of());
        } catch (IOException e) {
            throw new StackException("could not start the round-robin: " + e, e);
        }
        for (Service s : fronted) {
            Wait.until(
                    "the round-robin on port " + cfg.port(s.port()),
                    Duration.ofSeconds(60),
                    h,
                    cfg.logFile(RoundRobin.NAME),
                    () -> healthy(cfg, s));
            System.out.println("[devstack] round-robin on port " + cfg.port(s.port()) + " over "
                    + instances(cfg, s).stream().map(i -> i.port(cfg)).toList() + " (" + s.module() + ")");
        }
    }

    private static void stopRoundRobin(StackConfig cfg) {
        Processes.stop(cfg, RoundRobin.NAME, Duration.ofSeconds(10));
    }

    /**
     * The command that runs a service's jar, with the start-up cache's options ({@link JvmCache}) and then an
     * experiment's ({@link StackConfig#serviceJavaOptions()}) before {@code -jar}. A training run and the runs that
     * use its cache have the same heap and collector.
     */
    static List<String> command(Path jar, List<String> cacheOptions, List<String> experimentOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Processes.javaBinary());
        cmd.addAll(List.of(HEAP.split(" ")));
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", TRIM_NATIVE_HEAP, CODE_CACHE_UNLOADING));
        cmd.addAll(cacheOptions);
        cmd.addAll(experimentOptions);
        cmd.addAll(List.of("-jar", jar.toString()));
        return cmd;
    }

    /**
     * The contract between the dev stack and each service's configuration. The services run in the profile
     * {@code local}: every production setting must be set (here, explicitly), and the ones that are the
     * development values on a stack with the default ports (this machine's addresses) are allowed
     * (docs/security.md). The keys are this stack's own ({@link StackSecrets}).
     */
    /** The platform's development value of {@code tandem.audit.anchor-key} (ProductionSetting.AUDIT_ANCHOR_KEY). */
    public static final String AUDIT_ANCHOR_KEY_DEVELOPMENT =
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"dev-anchor-1\","
                    + "\"x\":\"OeXWuIv2JwfKqdJp-ixbkh_K08yC4nKieuAk3csdI3U\",\"y\":\"4UyhfuX2oMFGdJi1mpgjzcV33NZVrOF9J9ar-nzdemo\","
                    + "\"d\":\"c4fjXuJgEj6LUYr05l-sTOU-xINttypgAxOii5zjnQI\"}";

    public static Map<String, String> environment(StackConfig cfg, Endpoints e, Service s) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(cfg.port(s.port())));
        if (Endpoints.SERVICES.contains(s.name())) { // the web module has no database
            env.put("QUARKUS_PROFILE", "local");
            env.put("QUARKUS_SWAGGER_UI_ENABLED", "true"); // off in production (README lists its addresses)
            env.put("TANDEM_DB_URL", e.jdbcUrl());
            env.put("TANDEM_DB_USER", e.dbUser(s.name()));
            env.put("TANDEM_DB_PASSWORD", e.dbPassword(s.name()));
            StackSecrets secrets = StackSecrets.of(cfg.stateDir());
            // the development anchor key (allowed on the local stack); production sets its own per service
            env.put("TANDEM_AUDIT_ANCHOR_KEY", AUDIT_ANCHOR_KEY_DEVELOPMENT);
            // TLS and SCRAM: its own Kafka user (kafka.* settings, which Quarkus gives every Kafka client)
            env.putAll(KafkaSecurity.of(cfg.stateDir()).environment(KafkaSecurity.user(s.name())));
            if (s.name().equals("referral")) {
                env.put("TANDEM_CASE_FILE_HUB_KEY", secrets.hubKey());
            }
            if (s.name().equals("notification")) {
                env.put("TANDEM_SECRETS_KEK", secrets.keyEncryptionKeys());
            }
        }
        env.put("TANDEM_KAFKA_BOOTSTRAP", e.kafkaBootstrap());
        env.put("TANDEM_SCHEMA_REGISTRY_URL", e.schemaRegistryUrl());
        env.put("TANDEM_OIDC_URL", e.oidcIssuer());
        env.put("TANDEM_WEBHOOK_ALLOW_LOOPBACK", "true");
        env.put("TANDEM_SMTP_HOST", "localhost");
        env.put("TANDEM_SMTP_PORT", Integer.toString(e.smtpPort()));
        // spans to the local trace sink (TraceSink), over OTLP/HTTP as to a collector in production
        env.put("TANDEM_OTLP_ENDPOINT", "http://localhost:" + cfg.port(Port.TRACES));
        for (Service other : ALL) {
            env.put("TANDEM_" + other.name().toUpperCase() + "_URL", "http://localhost:" + cfg.port(other.port()));
        }
        // the services answer the browser's cross-origin calls from the web application only
        env.put("TANDEM_WEB_ORIGIN", "http://localhost:" + cfg.port(Port.WEB));
        return env;
    }

    private static ProcessHandle launch(
            StackConfig cfg, Endpoints endpoints, Path repoRoot, Instance i, Map<String, String> extraEnv) {
        Service s = i.service();
        if (!Infrastructure.isFree(i.port(cfg))) {
            throw new StackException(
                    "port " + i.port(cfg) + " (" + s.port() + (i.number() > 0 ? " + " + 10 * i.number() : "")
                            + ") for " + i.processName()
                            + " is in use by a process this state dir did not start. Stop it, or choose other ports with"
                            + " --port-base / TANDEM_PORT_BASE or " + s.port().envName() + ".");
        }
        Map<String, String> env = environment(cfg, endpoints, s);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(i.port(cfg)));
        env.putAll(NATIVE_MEMORY_ENV);
        JvmCache.Choice cache =
                JvmCache.choose(cfg.jvmCache(), repoRoot, s, Runtime.version().feature());
        System.out.println("[devstack] " + i.processName() + ": " + cache.note());
        try {
            return Processes.launch(
                    cfg,
                    i.processName(),
                    command(s.jar(repoRoot), cache.options(), cfg.serviceJavaOptions()),
                    cfg.stateDir()
                            .resolve("services")
                            .resolve(i.number() == 0 ? s.name() : s.name() + "-" + i.number()),
                    withExtra(env, extraEnv));
        } catch (IOException e) {
            throw new StackException("could not start " + i.processName() + ": " + e, e);
        }
    }

    /**
     * Starts one service that is not running (after a crash, say) and waits until it is ready. For the fault
     * harness, which kills services on purpose.
     */
    public static void startOne(
            StackConfig cfg, Endpoints endpoints, Path repoRoot, Service s, Map<String, String> extraEnv) {
        startOne(cfg, endpoints, repoRoot, new Instance(s, 0), extraEnv);
    }

    /** As {@link #startOne(StackConfig, Endpoints, Path, Service, Map)}, for one instance of a scaled service. */
    public static void startOne(
            StackConfig cfg, Endpoints endpoints, Path repoRoot, Instance i, Map<String, String> extraEnv) {
        if (Processes.running(cfg, i.processName()).isPresent()) {
            return;
        }
        awaitReady(cfg, i, launch(cfg, endpoints, repoRoot, i, extraEnv));
    }

    /**
     * Stops one service gracefully (SIGTERM, as a rolling deploy does) and starts it again alone, with nothing else
     * starting beside it; returns the time from the new process's start to its first ready answer. The
     * benchmark's "restarted alone" start-up figure (docs/performance.md).
     */
    public static Duration restartAlone(
            StackConfig cfg, Endpoints endpoints, Path repoRoot, Service s, Map<String, String> extraEnv) {
        Instance i = new Instance(s, 0);
        Processes.stop(cfg, i.processName(), Duration.ofSeconds(20));
        return awaitReady(cfg, i, launch(cfg, endpoints, repoRoot, i, extraEnv));
    }

    /** Waits until the instance answers ready; returns the time from its process's start to that answer. */
    private static Duration awaitReady(StackConfig cfg, Instance i, ProcessHandle h) {
        Wait.until(
                i.processName() + " on port " + i.port(cfg),
                cfg.startTimeout(),
                h,
                cfg.logFile(i.processName()),
                () -> healthy(i.port(cfg)));
        return h.info()
                .startInstant()
                .map(t -> Duration.between(t, Instant.now()))
                .orElse(Duration.ZERO);
    }

    /** The pid of a running instance, if it runs. */
    public static Optional<Long> pid(StackConfig cfg, Instance i) {
        return Processes.running(cfg, i.processName()).map(ProcessHandle::pid);
    }

    /** The pid of a running service, if it runs. */
    public static Optional<Long> pid(StackConfig cfg, Service s) {
        return Processes.running(cfg, s.processName()).map(ProcessHandle::pid);
    }

    private static Map<String, String> withExtra(Map<String, String> env, Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(extra);
        return all;
    }

    static boolean healthy(StackConfig cfg, Service s) {
        return healthy(cfg.port(s.port()));
    }

    static boolean healthy(int port) {
        try {
            HttpResponse<Void> r = Apicurio.HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public List<Service> started() {
        return started;
    }

    public List<Service> skipped() {
        return skipped;
    }

    /**
     * Each started service's time from its process's start to its first ready answer; with several instances,
     * the slowest instance's.
     */
    public Optional<Duration> readyAfter(Service s) {
        return readyAfter.entrySet().stream()
                .filter(e -> e.getKey().service().equals(s))
                .map(Map.Entry::getValue)
                .max(Duration::compareTo);
    }

    /**
     * Stops every service this state dir started. After a training run ({@link JvmCache.Mode#TRAIN}), each
     * service has written its AOT cache while it stopped, and {@link JvmCache#seal} records what it belongs to.
     */
    public void stopAll() {
        stop(cfg);
        if (cfg.jvmCache() == JvmCache.Mode.TRAIN) {
            for (Service s : started) {
                if (s.port() == Port.WEB) {
                    continue;
                }
                System.out.println("[devstack] " + s.module() + ": "
                        + (JvmCache.seal(repoRoot, s)
                                ? "AOT cache written to " + JvmCache.dir(repoRoot, s)
                                : "WARNING: the training run wrote no AOT cache (see its log)"));
            }
        }
    }

    /** Stops every service this state dir started. */
    public static void stop(StackConfig cfg) {
        stopRoundRobin(cfg);
        // a training run's JVM writes its AOT cache on the way out, which takes a while on a small machine
        if (cfg.jvmCache() == JvmCache.Mode.TRAIN) {
            // side by side: each JVM assembles its cache on the way out, which takes about a minute
            List<Thread> stops = new ArrayList<>();
            for (Service s : ALL) {
                for (String name : everyProcessName(s)) {
                    stops.add(Thread.ofPlatform().start(() -> Processes.stop(cfg, name, TRAINING_STOP)));
                }
            }
            for (Thread t : stops) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackException("interrupted while the services wrote their AOT caches", e);
                }
            }
        } else {
            for (Service s : ALL) {
                for (String name : everyProcessName(s)) {
                    Processes.stop(cfg, name, Duration.ofSeconds(20));
                }
            }
        }
        MailSink.stop(cfg);
        TraceSink.stop(cfg);
    }

    static List<Infrastructure.Status> status(StackConfig cfg) {
        List<Infrastructure.Status> out = new ArrayList<>();
        for (Service s : ALL) {
            for (int n = 0; n <= StackConfig.MAX_INSTANCES; n++) {
                Instance i = new Instance(s, n);
                Optional<ProcessHandle> h = Processes.running(cfg, i.processName());
                if (h.isPresent() || Processes.readPid(cfg, i.processName()).isPresent()) {
                    out.add(new Infrastructure.Status(
                            i.processName(),
                            h.map(ProcessHandle::pid).orElse(null),
                            n == 0 ? cfg.port(s.port()) : cfg.port(s.port()) + 10 * n,
                            h.isPresent() && healthy(n == 0 ? cfg.port(s.port()) : cfg.port(s.port()) + 10 * n)));
                }
            }
        }
        Optional<ProcessHandle> rr = Processes.running(cfg, RoundRobin.NAME);
        if (rr.isPresent() || Processes.readPid(cfg, RoundRobin.NAME).isPresent()) {
            out.add(new Infrastructure.Status(
                    RoundRobin.NAME,
                    rr.map(ProcessHandle::pid).orElse(null),
                    cfg.port(Port.REGISTRY),
                    rr.isPresent() && healthy(cfg.port(Port.REGISTRY))));
        }
        MailSink.status(cfg).ifPresent(out::add);
        TraceSink.status(cfg).ifPresent(out::add);
        return out;
    }
}
