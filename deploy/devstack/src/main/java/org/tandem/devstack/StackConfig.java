package org.tandem.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a stack keeps its state, which ports it uses and whether it starts from scratch.
 *
 * <p>Precedence for every port: an explicit {@link Builder#port} call, then {@code TANDEM_PORT_<NAME>},
 * then {@code portBase + offset}. The base comes from {@link Builder#portBase}, then {@code TANDEM_PORT_BASE},
 * then {@link #TEST_PORT_BASE}.
 */
public final class StackConfig {

    public static final int DEV_PORT_BASE = 18000;
    public static final int TEST_PORT_BASE = 28000;
    /** The most instances of each service the local stack runs ({@code --instances}). */
    public static final int MAX_INSTANCES = 4;

    private final Path stateDir;
    private final Path cacheDir;
    private final int portBase;
    private final Map<Port, Integer> ports;
    private final boolean fresh;
    private final Duration startTimeout;
    private final int instances;
    private final JvmCache.Mode jvmCache;
    private final List<String> serviceJavaOptions;

    private StackConfig(Builder b) {
        this.stateDir =
                Objects.requireNonNull(b.stateDir, "stateDir").toAbsolutePath().normalize();
        Map<String, String> env = b.env;
        this.cacheDir = (b.cacheDir != null
                        ? b.cacheDir
                        : env.get("TANDEM_CACHE_DIR") != null
                                        && !env.get("TANDEM_CACHE_DIR").isBlank()
                                ? Path.of(env.get("TANDEM_CACHE_DIR"))
                                : Path.of(System.getProperty("user.home"), ".cache", "tandem"))
                .toAbsolutePath()
                .normalize();
        this.portBase = b.portBase != null ? b.portBase : intEnv(env, "TANDEM_PORT_BASE", TEST_PORT_BASE);
        EnumMap<Port, Integer> p = new EnumMap<>(Port.class);
        for (Port port : Port.values()) {
            Integer explicit = b.ports.get(port);
            int value = explicit != null ? explicit : intEnv(env, port.envName(), portBase + port.offset());
            checkPort(port.name(), value);
            p.put(port, value);
        }
        this.ports = Collections.unmodifiableMap(p);
        this.fresh = b.fresh;
        this.startTimeout = b.startTimeout;
        this.instances = b.instances;
        String cache = env.get("TANDEM_JVM_CACHE");
        this.jvmCache = b.jvmCache != null
                ? b.jvmCache
                : cache != null && !cache.isBlank() ? JvmCache.Mode.parse(cache) : JvmCache.Mode.AOT;
        String options = env.get("TANDEM_SERVICE_JAVA_OPTIONS");
        this.serviceJavaOptions = options == null || options.isBlank()
                ? List.of()
                : List.of(options.trim().split("\\s+"));
    }

    static int intEnv(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + v + "'");
        }
    }

    private static void checkPort(String name, int value) {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("port " + name + " = " + value + " is outside 1..65535");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration tests use when nobody says otherwise: state dir {@code TANDEM_STATE_DIR} or
     * {@code target/test-infra} under the working directory, port base {@code TANDEM_PORT_BASE} or 28000,
     * fresh unless {@code TANDEM_FRESH=false}.
     */
    public static StackConfig fromEnvironment() {
        Map<String, String> env = System.getenv();
        String dir = env.get("TANDEM_STATE_DIR");
        return builder()
                .stateDir(dir != null && !dir.isBlank() ? Path.of(dir) : Path.of("target", "test-infra"))
                .fresh(!"false".equalsIgnoreCase(env.getOrDefault("TANDEM_FRESH", "true")))
                .build();
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Unpacked archives, shared by every state dir and keyed by version. */
    public Path cacheDir() {
        return cacheDir;
    }

    public int portBase() {
        return portBase;
    }

    public int port(Port port) {
        return ports.get(port);
    }

    public Map<Port, Integer> ports() {
        return ports;
    }

    /** Wipe the data of every part before starting (unless the whole stack is already up and healthy). */
    public boolean fresh() {
        return fresh;
    }

    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * How many instances of each service run (1 by default). With more than one, instance {@code i} (from 1)
     * listens on {@link #instancePort}, and a {@link RoundRobin} on the service's own port spreads requests
     * over them.
     */
    public int instances() {
        return instances;
    }

    /**
     * The port of instance {@code i} (1..{@link #MAX_INSTANCES}) of the service on {@code port}: ten times
     * {@code i} above it (18101 → 18111, 18121, ...), clear of every other port of the stack.
     */
    public int instancePort(Port port, int i) {
        if (i < 1 || i > MAX_INSTANCES) {
            throw new IllegalArgumentException("instance " + i + " is outside 1.." + MAX_INSTANCES);
        }
        return port(port) + 10 * i;
    }

    /**
     * Which start-up cache the services run with ({@link JvmCache}): {@link Builder#jvmCache}, then
     * {@code TANDEM_JVM_CACHE} ({@code none}, {@code appcds} or {@code aot}), then {@code aot}.
     */
    public JvmCache.Mode jvmCache() {
        return jvmCache;
    }

    /**
     * JVM options for an experiment, added to each service's command after Tandem's own (so they win):
     * {@code TANDEM_SERVICE_JAVA_OPTIONS}, split at white space; none by default. docs/performance.md records
     * the measurements taken with them (for example {@code -XX:TieredStopAtLevel=1}).
     */
    public List<String> serviceJavaOptions() {
        return serviceJavaOptions;
    }

    public Path logDir() {
        return stateDir.resolve("logs");
    }

    public Path pidDir() {
        return stateDir.resolve("pids");
    }

    public Path logFile(String name) {
        return logDir().resolve(name + ".log");
    }

    public Path pidFile(String name) {
        return pidDir().resolve(name + ".pid");
    }

    public Path endpointsFile() {
        return stateDir.resolve("endpoints.properties");
    }

    public Builder toBuilder() {
        Builder b = new Builder()
                .stateDir(stateDir)
                .cacheDir(cacheDir)
                .portBase(portBase)
                .fresh(fresh)
                .startTimeout(startTimeout)
                .instances(instances)
                .jvmCache(jvmCache);
        ports.forEach(b::port);
        return b;
    }

    @Override
    public String toString() {
        return "StackConfig[stateDir=" + stateDir + ", portBase=" + portBase + ", fresh=" + fresh + ", ports=" + ports
                + ", instances=" + instances + ", jvmCache=" + jvmCache.label() + "]";
    }

    public static final class Builder {
        private Path stateDir;
        private Path cacheDir;
        private Integer portBase;
        private final EnumMap<Port, Integer> ports = new EnumMap<>(Port.class);
        private boolean fresh;
        private Duration startTimeout = Duration.ofMinutes(5);
        private Map<String, String> env = System.getenv();
        private int instances = 1;
        private JvmCache.Mode jvmCache;

        private Builder() {}

        /** Which start-up cache the services run with; by default {@code TANDEM_JVM_CACHE}, else {@code aot}. */
        public Builder jvmCache(JvmCache.Mode jvmCache) {
            this.jvmCache = jvmCache;
            return this;
        }

        /** How many instances of each service to run, 1..{@link #MAX_INSTANCES}. */
        public Builder instances(int instances) {
            if (instances < 1 || instances > MAX_INSTANCES) {
                throw new IllegalArgumentException("--instances must be 1.." + MAX_INSTANCES + ", not " + instances);
            }
            this.instances = instances;
            return this;
        }

        public Builder stateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        public Builder portBase(int portBase) {
            if (portBase < 1024 || portBase > 65000) {
                throw new IllegalArgumentException("port base " + portBase + " is outside 1024..65000");
            }
            this.portBase = portBase;
            return this;
        }

        public Builder port(Port port, int value) {
            ports.put(port, value);
            return this;
        }

        public Builder fresh(boolean fresh) {
            this.fresh = fresh;
            return this;
        }

        /** How long each part may take to become healthy. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** The environment to read {@code TANDEM_*} variables from; {@link System#getenv()} by default. */
        public Builder environment(Map<String, String> env) {
            this.env = Map.copyOf(env);
            return this;
        }

        public StackConfig build() {
            return new StackConfig(this);
        }
    }
}
