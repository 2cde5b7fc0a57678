package org.tandem.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A partner's webhook endpoint on loopback: it checks each delivery's Standard Webhooks signature, records
 * when it arrived, and answers 204. It can be taken down and brought back on the same port, as a partner's
 * server that is down for a while.
 */
public final class Receiver implements AutoCloseable {

    /** One delivery as it arrived. {@code arrivalNanos} is {@link System#nanoTime()} at arrival. */
    public record Delivery(
            String webhookId,
            String type,
            String referralId,
            String eventId,
            int version,
            long arrivalNanos,
            Instant arrivedAt,
            boolean signatureValid) {}

    private final int port;
    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unsigned = new AtomicInteger();
    private volatile byte[] secret;
    private volatile Consumer<Delivery> listener = d -> {};
    private HttpServer server;

    public Receiver() throws IOException {
        this.server = newServer(0);
        this.port = server.getAddress().getPort();
        server.start();
    }

    private HttpServer newServer(int onPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 512);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/", this::handle);
        return s;
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/tandem/webhooks";
    }

    /** The endpoint's signing secret as Tandem returned it ({@code whsec_<base64>}). */
    public void secret(String whsec) {
        this.secret = Base64.getDecoder().decode(whsec.substring("whsec_".length()));
    }

    public void onDelivery(Consumer<Delivery> listener) {
        this.listener = listener;
    }

    public List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }

    public int unsignedCount() {
        return unsigned.get();
    }

    /** Stops listening: connections are refused until {@link #up()}. */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public synchronized void up() throws IOException {
        if (server == null) {
            server = newServer(port);
            server.start();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrival = System.nanoTime();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
        boolean valid = verify(id, timestamp, body, signatures);
        if (!valid) {
            unsigned.incrementAndGet();
        }
        try {
            JsonNode json = TandemApi.JSON.readTree(body);
            JsonNode data = json.path("data");
            Delivery d = new Delivery(
                    id,
                    json.path("type").asText(),
                    data.path("referralId").asText(null),
                    data.path("eventId").asText(null),
                    data.path("version").asInt(-1),
                    arrival,
                    Instant.now(),
                    valid);
            deliveries.add(d);
            listener.accept(d);
        } catch (IOException e) {
            unsigned.incrementAndGet();
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    /** Standard Webhooks: base64 HMAC-SHA256 over "id.timestamp.body", one of the space-separated "v1,..." values. */
    boolean verify(String id, String timestamp, byte[] body, String signatures) {
        byte[] key = secret;
        if (key == null || id == null || timestamp == null || signatures == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            for (String s : signatures.split(" ")) {
                if (s.startsWith("v1,")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(s.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        down();
    }
}
