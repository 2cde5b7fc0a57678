package org.tandem.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback that plays a partner's webhook endpoint: it records every request and
 * answers with a status the test chooses (200 by default).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. Header names are lower case. */
    public record Received(String path, Map<String, String> headers, String body, Instant at) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private volatile Map<String, String> responseHeaders = Map.of();
    private volatile Duration delay = Duration.ZERO;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> e.getKey().toLowerCase(), e -> String.join(",", e.getValue()), (a, b) -> a));
            received.add(new Received(
                    exchange.getRequestURI().getPath(),
                    headers,
                    new String(body, StandardCharsets.UTF_8),
                    Instant.now()));
            int code = status.get();
            Duration wait = delay;
            if (!wait.isZero()) {
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            responseHeaders.forEach(
                    (name, value) -> exchange.getResponseHeaders().add(name, value));
            inFlight.decrementAndGet();
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
    }

    /** The URL to subscribe, ending with {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void respondWith(int httpStatus) {
        status.set(httpStatus);
        responseHeaders = Map.of();
    }

    /** Answers with this status and these headers (for example {@code Retry-After} or {@code Location}). */
    public void respondWith(int httpStatus, Map<String, String> headers) {
        status.set(httpStatus);
        responseHeaders = Map.copyOf(headers);
    }

    /** Waits this long before answering each request (a slow endpoint). */
    public void respondAfter(Duration wait) {
        delay = wait;
    }

    /** The most requests this receiver has had in progress at one time. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Waits until at least {@code count} requests match, and returns the matching ones in arrival order. */
    public List<Received> await(Predicate<Received> match, int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Received> matching = received.stream().filter(match).toList();
            if (matching.size() >= count) {
                return matching;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("expected " + count + " matching webhook deliveries within " + timeout
                        + ", got " + matching.size() + " of " + received.size() + " received");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
