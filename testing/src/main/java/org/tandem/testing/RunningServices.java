package org.tandem.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.tandem.devstack.Endpoints;
import org.tandem.devstack.JvmCache;
import org.tandem.devstack.Port;
import org.tandem.devstack.Services;
import org.tandem.devstack.StackConfig;

/**
 * The three services and the web application as real processes (their packaged fast-jars), started through tandem-devstack
 * against {@link TestInfrastructure}. For end-to-end, benchmark and fault tests.
 */
public final class RunningServices implements AutoCloseable {

    private final Endpoints endpoints;
    private final StackConfig config;
    private final Services services;

    private RunningServices(Endpoints endpoints, StackConfig config, Services services) {
        this.endpoints = endpoints;
        this.config = config;
        this.services = services;
    }

    /** Starts (or restarts) all three and waits until each is ready. Fails if a jar is missing. */
    public static RunningServices start() {
        return start(Map.of());
    }

    /** As {@link #start()}, with extra environment variables for the three services. */
    public static RunningServices start(Map<String, String> extraEnv) {
        return start(extraEnv, 1);
    }

    /**
     * As {@link #start(Map)}, with {@code instances} instances of each service behind the stack's round-robin
     * on the usual ports ({@link StackConfig#instances()}).
     */
    public static RunningServices start(Map<String, String> extraEnv, int instances) {
        return start(extraEnv, instances, null);
    }

    /**
     * As {@link #start(Map, int)}, with the services' start-up cache chosen ({@link JvmCache.Mode}; null: the
     * stack's default, {@code TANDEM_JVM_CACHE} or the trained cache). {@link JvmCache.Mode#TRAIN} is the AOT
     * cache's training run: {@link #close()} then waits until every service has written its cache.
     */
    public static RunningServices start(Map<String, String> extraEnv, int instances, JvmCache.Mode jvmCache) {
        Endpoints e = TestInfrastructure.endpoints();
        Path repo = repoRoot();
        StackConfig config = StackConfig.builder()
                .stateDir(e.stateDir())
                .port(Port.REGISTRY, e.registryServicePort())
                .port(Port.REFERRAL, e.referralServicePort())
                .port(Port.NOTIFICATION, e.notificationServicePort())
                // the local SMTP sink where notification-service sends its e-mail (TANDEM_SMTP_PORT)
                .port(Port.SMTP, e.smtpPort())
                .port(Port.SMTP_API, e.smtpPort() + Port.SMTP_API.offset() - Port.SMTP.offset())
                // the web application beside the services, on the same port base
                .port(Port.WEB, e.registryServicePort() + Port.WEB.offset() - Port.REGISTRY.offset())
                // the trace sink that the services export their spans to (TANDEM_OTLP_ENDPOINT)
                .port(Port.TRACES, e.registryServicePort() + Port.TRACES.offset() - Port.REGISTRY.offset())
                .instances(instances)
                .jvmCache(jvmCache)
                .build();
        Services services = Services.start(config, e, repo, extraEnv);
        // the web application is needed only by the browser tests (which check for it); the APIs are not
        var missing =
                services.skipped().stream().filter(s -> s.port() != Port.WEB).toList();
        if (!missing.isEmpty()) {
            services.stopAll();
            throw new IllegalStateException("service jars are missing: " + missing
                    + "; build them first (./tandem test does, through the Maven reactor)");
        }
        return new RunningServices(e, config, services);
    }

    public String registryUrl() {
        return endpoints.serviceUrl("registry");
    }

    public String referralUrl() {
        return endpoints.serviceUrl("referral");
    }

    public String notificationUrl() {
        return endpoints.serviceUrl("notification");
    }

    /** The web application (module web), which serves the browser bundle and its /config.json. */
    public String webUrl() {
        return "http://localhost:" + config.port(Port.WEB);
    }

    /** Whether the web application runs (its jar was built). */
    public boolean webRunning() {
        return services.started().stream().anyMatch(s -> s.port() == Port.WEB);
    }

    /** The spans that the services exported to the stack's trace sink so far (one JSON object per span). */
    public java.util.List<com.fasterxml.jackson.databind.JsonNode> spans() {
        return org.tandem.devstack.TraceSink.spans(config);
    }

    public StackConfig config() {
        return config;
    }

    @Override
    public void close() {
        services.stopAll();
    }

    /** The repository root: {@code tandem.repo.root}, or the nearest folder upwards that holds {@code mvnw}. */
    public static Path repoRoot() {
        String configured = System.getProperty("tandem.repo.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (no mvnw above "
                    + Path.of("").toAbsolutePath() + ")");
        }
        return dir;
    }
}
