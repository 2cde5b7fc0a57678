package org.tandem.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Keycloak in dev mode with the {@code tandem} realm imported.
 *
 * <p>Keycloak writes into its home (the re-augmented application in {@code lib/quarkus}, the dev database in
 * {@code data/}), so each state dir gets its own small home: copies of the scripts and generated files, and a
 * link to the read-only jars ({@code lib/lib}, 170 MB) in the shared cache.
 */
final class Keycloak {

    static final String NAME = "keycloak";
    static final String REALM = "tandem";
    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = "admin";
    static final String HEAP = "-Xms64m -Xmx512m";
    static final String REALM_RESOURCE = "/keycloak/tandem-realm.json";

    private Keycloak() {}

    /**
     * The realm with the web application's origin added to the {@code tandem-web} client's web origins, so
     * that Keycloak answers the browser's token requests from this stack's web port (the realm file holds
     * only redirect URIs with a port wildcard, from which Keycloak derives no origin).
     */
    static byte[] withWebOrigin(byte[] realmJson, int webPort) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode realm = json.readTree(realmJson);
        for (JsonNode client : realm.path("clients")) {
            if ("tandem-web".equals(client.path("clientId").asText())) {
                ((ArrayNode) client.path("webOrigins")).add("http://localhost:" + webPort);
            }
        }
        return json.writeValueAsBytes(realm);
    }

    static Path home(StackConfig cfg) {
        return cfg.stateDir().resolve("keycloak").resolve("home");
    }

    static ProcessHandle launch(StackConfig cfg) throws IOException {
        Path home = prepareHome(cfg);
        Path imports = home.resolve("data").resolve("import");
        Files.createDirectories(imports);
        try (InputStream realm = Keycloak.class.getResourceAsStream(REALM_RESOURCE)) {
            if (realm == null) {
                throw new StackException("missing resource " + REALM_RESOURCE + ": rebuild deploy/devstack");
            }
            Files.write(imports.resolve("tandem-realm.json"), withWebOrigin(realm.readAllBytes(), cfg.port(Port.WEB)));
        }
        List<String> cmd = List.of(
                home.resolve("bin").resolve("kc.sh").toString(),
                "start-dev",
                "--import-realm",
                "--http-host=127.0.0.1",
                "--http-port=" + cfg.port(Port.KEYCLOAK),
                "--http-management-port=" + cfg.port(Port.KEYCLOAK_MANAGEMENT),
                "--health-enabled=true",
                "--metrics-enabled=false",
                "--log-console-color=false");
        Map<String, String> env = Map.of(
                "JAVA_HOME", System.getProperty("java.home"),
                "JAVA_OPTS_KC_HEAP", HEAP,
                "KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER,
                "KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        // kc.sh forks the JVM; the pid file names the script, which leads the process group of both
        return Processes.launch(cfg, NAME, cmd, home, env);
    }

    static Path prepareHome(StackConfig cfg) throws IOException {
        Path dist = Artifacts.keycloak(cfg);
        Path home = home(cfg);
        Path marker = home.resolve(".prepared-" + Artifacts.version("keycloak"));
        if (cfg.fresh()) {
            Artifacts.deleteTree(home.resolve("data")); // the realm import skips a realm that exists
        }
        if (Files.exists(marker)) {
            return home;
        }
        Artifacts.deleteTree(home);
        Files.createDirectories(home.resolve("bin"));
        try (Stream<Path> scripts = Files.list(dist.resolve("bin"))) {
            for (Path s : (Iterable<Path>) scripts::iterator) {
                if (Files.isRegularFile(s)) {
                    Files.copy(s, home.resolve("bin").resolve(s.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        for (String dir : List.of("conf", "themes", "providers", "lib/app")) {
            copyTree(dist.resolve(dir), home.resolve(dir));
        }
        // start-dev re-augments a distribution built for production (about a minute); reuse the result
        Path augmented = augmentedCache(cfg);
        copyTree(
                Files.isRegularFile(augmented.resolve(".complete"))
                        ? augmented.resolve("quarkus")
                        : dist.resolve("lib/quarkus"),
                home.resolve("lib/quarkus"));
        Files.copy(dist.resolve("lib/quarkus-run.jar"), home.resolve("lib/quarkus-run.jar"));
        Files.copy(dist.resolve("version.txt"), home.resolve("version.txt"));
        Files.createSymbolicLink(home.resolve("lib/lib"), dist.resolve("lib/lib"));
        Files.writeString(marker, "");
        return home;
    }

    static Path augmentedCache(StackConfig cfg) {
        return cfg.cacheDir().resolve("keycloak-" + Artifacts.version("keycloak") + "-dev-augmented");
    }

    /** After a successful start-dev, keeps its augmented application for the next new home. */
    static void rememberAugmentation(StackConfig cfg) {
        Path augmented = augmentedCache(cfg);
        if (Files.isRegularFile(augmented.resolve(".complete"))) {
            return;
        }
        Artifacts.unpackOnce(cfg, augmented.getFileName().toString(), target -> {
            copyTree(home(cfg).resolve("lib/quarkus"), target.resolve("quarkus"));
        });
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.naturalOrder())::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static String url(StackConfig cfg) {
        return "http://localhost:" + cfg.port(Port.KEYCLOAK);
    }

    static boolean healthy(StackConfig cfg) {
        return ok("http://localhost:" + cfg.port(Port.KEYCLOAK_MANAGEMENT) + "/health/ready")
                && ok(url(cfg) + "/realms/" + REALM + "/.well-known/openid-configuration");
    }

    private static boolean ok(String url) {
        try {
            HttpResponse<Void> r = Apicurio.HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
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

    static void awaitHealthy(StackConfig cfg, ProcessHandle process, Duration timeout) {
        Wait.until(
                "Keycloak on port " + cfg.port(Port.KEYCLOAK), timeout, process, cfg.logFile(NAME), () -> healthy(cfg));
    }

    static boolean stop(StackConfig cfg) {
        return Processes.stop(cfg, NAME, Duration.ofSeconds(30));
    }
}
