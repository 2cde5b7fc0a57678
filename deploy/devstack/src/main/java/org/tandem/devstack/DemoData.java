package org.tandem.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Registers the demo organisations through registry-service's public API, with real tokens: each demo
 * org-admin registers her own organisation (its id comes from her token), then the coordinator approves it.
 * Safe to run again: an organisation that exists or is approved already is skipped.
 */
public final class DemoData {

    public static final String PASSWORD = "tandem-demo";
    public static final String DEV_CLIENT = "tandem-dev";
    static final String RESOURCE = "/org/tandem/devstack/demo-organisations.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One demo organisation: slug, fixed id and the registration body. */
    public record DemoOrganisation(String slug, String id, JsonNode profile) {
        public String adminUser() {
            return "admin." + slug;
        }

        public String caseworkerUser() {
            return "caseworker." + slug;
        }

        public String integrationClient() {
            return "integration-" + slug;
        }

        public String integrationSecret() {
            return slug + "-integration-secret";
        }
    }

    /** What happened to each organisation. */
    public record Result(String slug, String registration, String approval) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Endpoints endpoints;

    public DemoData(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    public static List<DemoOrganisation> organisations() {
        try (InputStream in = DemoData.class.getResourceAsStream(RESOURCE)) {
            JsonNode root = JSON.readTree(in);
            List<DemoOrganisation> out = new ArrayList<>();
            for (JsonNode n : root) {
                out.add(new DemoOrganisation(
                        n.path("slug").asText(), n.path("id").asText(), n.path("profile")));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new StackException("cannot read " + RESOURCE + ": " + e, e);
        }
    }

    /** The demo users of the realm, as user name to role. */
    public static Map<String, String> users() {
        Map<String, String> users = new java.util.LinkedHashMap<>();
        for (DemoOrganisation o : organisations()) {
            users.put(o.caseworkerUser(), "caseworker");
            users.put(o.adminUser(), "org-admin");
        }
        users.put("coordinator", "coordinator");
        return users;
    }

    public List<Result> load() {
        String registry = endpoints.serviceUrl("registry");
        List<Result> results = new ArrayList<>();
        String coordinator = null;
        for (DemoOrganisation org : organisations()) {
            String registration;
            String approval;
            try {
                String adminToken = passwordToken(org.adminUser(), PASSWORD);
                // no Idempotency-Key: a second run is answered 409, which is what we want to see
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(registry + "/api/v1/organisations"))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(org.profile()))));
                registration = switch (r.statusCode()) {
                    case 200, 201 -> "registered";
                    case 409 -> "already registered";
                    default -> "FAILED (" + r.statusCode() + " " + abbreviate(r.body()) + ")";
                };
                if (coordinator == null) {
                    coordinator = passwordToken("coordinator", PASSWORD);
                }
                HttpResponse<String> a = send(
                        HttpRequest.newBuilder(URI.create(registry + "/api/v1/organisations/" + org.id() + "/approval"))
                                .header("Authorization", "Bearer " + coordinator)
                                .POST(HttpRequest.BodyPublishers.noBody()));
                approval = switch (a.statusCode()) {
                    case 200, 201, 204 -> "approved";
                    case 409 -> "already approved";
                    default -> "FAILED (" + a.statusCode() + " " + abbreviate(a.body()) + ")";
                };
            } catch (IOException e) {
                registration = "FAILED (" + e + ")";
                approval = "-";
            }
            results.add(new Result(org.slug(), registration, approval));
        }
        return results;
    }

    /** A password-grant access token from client {@code tandem-dev}. */
    public String passwordToken(String user, String password) throws IOException {
        return token(Map.of("grant_type", "password", "client_id", DEV_CLIENT, "username", user, "password", password));
    }

    /** A client-credentials access token, e.g. for {@code integration-solwodi}. */
    public String clientToken(String clientId, String secret) throws IOException {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    private String token(Map<String, String> form) throws IOException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(endpoints.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 200) {
            throw new IOException("token request for " + form.getOrDefault("username", form.get("client_id"))
                    + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
        }
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException {
        try {
            return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
