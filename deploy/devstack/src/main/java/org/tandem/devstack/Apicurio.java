package org.tandem.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.tandem.events.EventCatalog;

/**
 * Apicurio Registry 3 on PostgreSQL (so that schema ids survive a restart while Kafka keeps records that
 * point to them), with the global rules and every event schema registered.
 */
final class Apicurio {

    static final String NAME = "apicurio";
    static final String HEAP = "-Xms64m -Xmx384m";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private Apicurio() {}

    static ProcessHandle launch(StackConfig cfg) throws IOException {
        Path home = Artifacts.apicurio(cfg);
        Path work = cfg.stateDir().resolve("apicurio");
        List<String> cmd = new ArrayList<>();
        cmd.add(Processes.javaBinary());
        cmd.addAll(List.of(HEAP.split(" ")));
        cmd.addAll(List.of(
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:TieredStopAtLevel=1",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-jar",
                home.resolve("quarkus-run.jar").toString()));
        Map<String, String> env = Map.ofEntries(
                Map.entry("QUARKUS_HTTP_HOST", "localhost"),
                Map.entry("QUARKUS_HTTP_PORT", Integer.toString(cfg.port(Port.APICURIO))),
                // off 9000, which Keycloak's management interface wants
                Map.entry("QUARKUS_MANAGEMENT_HOST", "localhost"),
                Map.entry("QUARKUS_MANAGEMENT_PORT", Integer.toString(cfg.port(Port.APICURIO_MANAGEMENT))),
                Map.entry("APICURIO_STORAGE_KIND", "sql"),
                Map.entry("APICURIO_STORAGE_SQL_KIND", "postgresql"),
                Map.entry("APICURIO_DATASOURCE_URL", Postgres.url(cfg, "apicurio")),
                Map.entry("APICURIO_DATASOURCE_USERNAME", "apicurio"),
                Map.entry("APICURIO_DATASOURCE_PASSWORD", "apicurio"),
                Map.entry("APICURIO_DATASOURCE_JDBC_INITIAL_SIZE", "2"),
                Map.entry("APICURIO_DATASOURCE_JDBC_MIN_SIZE", "2"),
                Map.entry("APICURIO_DATASOURCE_JDBC_MAX_SIZE", "10"),
                Map.entry(
                        "APICURIO_STORAGE_SNAPSHOT_LOCATION",
                        work.resolve("tmp").toString()),
                Map.entry("APICURIO_IMPORT_WORK_DIR", work.resolve("tmp").toString()),
                Map.entry("QUARKUS_HTTP_ACCESS_LOG_ENABLED", "false"));
        return Processes.launch(cfg, NAME, cmd, work, env);
    }

    static String apiUrl(StackConfig cfg) {
        return "http://localhost:" + cfg.port(Port.APICURIO) + "/apis/registry/v3";
    }

    static boolean healthy(StackConfig cfg) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://localhost:" + cfg.port(Port.APICURIO_MANAGEMENT) + "/health/ready"))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
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
                "Apicurio Registry on port " + cfg.port(Port.APICURIO),
                timeout,
                process,
                cfg.logFile(NAME),
                () -> healthy(cfg));
    }

    /** Global rules, then every schema of the event catalogue. Safe to run again. */
    static void provision(StackConfig cfg) {
        String api = apiUrl(cfg);
        try {
            setGlobalRule(api, "VALIDITY", "FULL");
            setGlobalRule(api, "COMPATIBILITY", "BACKWARD");
            for (EventCatalog.Entry e : EventCatalog.all()) {
                register(
                        api,
                        e.schema().getNamespace(),
                        e.schema().getName(),
                        e.schema().toString());
            }
        } catch (IOException e) {
            throw new StackException("could not provision Apicurio Registry at " + api + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    private static void setGlobalRule(String api, String type, String config) throws IOException, InterruptedException {
        HttpResponse<String> get = send("GET", api + "/admin/rules/" + type, null);
        if (get.statusCode() == 200) {
            if (config.equals(JSON.readTree(get.body()).path("config").asText())) {
                return;
            }
            ObjectNode body = JSON.createObjectNode().put("config", config);
            expect(send("PUT", api + "/admin/rules/" + type, body), 200, 204);
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("ruleType", type).put("config", config);
        HttpResponse<String> post = send("POST", api + "/admin/rules", body);
        if (post.statusCode() != 409) {
            expect(post, 200, 204);
        }
    }

    /**
     * One artifact per schema: group = namespace, artifact id = record name, which is what the serde's
     * RecordIdStrategy looks up. FIND_OR_CREATE_VERSION adds a version only when the content differs.
     */
    static void register(String api, String group, String artifactId, String content)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("artifactId", artifactId);
        body.put("artifactType", "AVRO");
        ObjectNode version = body.putObject("firstVersion");
        ObjectNode c = version.putObject("content");
        c.put("content", content);
        c.put("contentType", "application/json");
        String url = api + "/groups/" + enc(group) + "/artifacts?ifExists=FIND_OR_CREATE_VERSION";
        HttpResponse<String> r = send("POST", url, body);
        if (r.statusCode() / 100 != 2) {
            throw new IOException(
                    "registering " + group + "/" + artifactId + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** The latest content of an artifact, or null. */
    static String latestContent(String api, String group, String artifactId) throws IOException, InterruptedException {
        HttpResponse<String> r = send(
                "GET",
                api + "/groups/" + enc(group) + "/artifacts/" + enc(artifactId) + "/versions/branch=latest/content",
                null);
        return r.statusCode() == 200 ? r.body() : null;
    }

    static HttpResponse<String> send(String method, String url, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> r, int... ok) throws IOException {
        for (int s : ok) {
            if (r.statusCode() == s) {
                return;
            }
        }
        throw new IOException(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": " + r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static boolean stop(StackConfig cfg) {
        return Processes.stop(cfg, NAME, Duration.ofSeconds(20));
    }
}
