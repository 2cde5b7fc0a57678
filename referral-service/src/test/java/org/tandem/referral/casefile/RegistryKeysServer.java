package org.tandem.referral.casefile;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real HTTP server on loopback that answers registry-service's public-key endpoint,
 * {@code GET /api/v1/organisations/{id}/keys} (a JWK Set), with the keys the test's organisations
 * generated. registry-service itself does not run in referral-service's tests; the JWK Sets served are
 * real keys made with tandem-client. It refuses requests without a bearer token, as the registry does.
 */
public class RegistryKeysServer implements QuarkusTestResourceLifecycleManager {

    public static final Map<UUID, String> PUBLISHED = new ConcurrentHashMap<>();
    private static final Pattern PATH = Pattern.compile("/api/v1/organisations/([0-9a-f-]{36})/keys");
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String body = m.matches() ? PUBLISHED.get(UUID.fromString(m.group(1))) : null;
            int status = auth == null || !auth.startsWith("Bearer ") ? 401 : body == null ? 404 : 200;
            byte[] bytes = (status == 200 ? body : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return Map.of(
                "tandem.registry.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
