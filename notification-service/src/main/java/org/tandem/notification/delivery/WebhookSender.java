package org.tandem.notification.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Sends one webhook request. The URL is checked by {@link EndpointUrlPolicy} right before, and the
 * connection goes to the address that passed the check (the host name still serves TLS verification and
 * SNI). Redirects are never followed; the answer's body is never read beyond discarding it.
 */
@ApplicationScoped
public class WebhookSender {

    /** What came of one attempt: a status code, or an error phrase; and how long it took. */
    public record Outcome(Integer statusCode, String retryAfter, String error, long latencyMillis, boolean connected) {
        public boolean success() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    @Inject
    Vertx vertx;

    @Inject
    EndpointUrlPolicy urlPolicy;

    @ConfigProperty(name = "tandem.webhooks.timeout", defaultValue = "PT15S")
    Duration timeout;

    @ConfigProperty(name = "tandem.webhooks.per-endpoint", defaultValue = "8")
    int perEndpoint;

    private HttpClient client;
    private Context context;

    @PostConstruct
    void init() {
        context = vertx.getOrCreateContext();
        client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(timeout.toMillis(), 10_000))
                .setIdleTimeout((int) timeout.toSeconds() + 1)
                .setKeepAlive(true)
                // per host: one kept-alive connection for each request the dispatcher may have in flight to an endpoint
                .setMaxPoolSize(Math.max(1, perEndpoint))
                .setForceSni(true)
                .setVerifyHost(true)
                .setTryUseCompression(false));
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }

    public Outcome send(String url, Map<String, String> headers, String body) throws InterruptedException {
        long started = System.nanoTime();
        EndpointUrlPolicy.Target target;
        try {
            target = urlPolicy.resolve(url);
        } catch (EndpointUrlPolicy.RefusedAddress e) {
            return new Outcome(null, null, e.getMessage(), 0, false);
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.https())
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setURI(target.requestUri())
                .setFollowRedirects(false)
                .setTimeout(timeout.toMillis());
        headers.forEach(options::putHeader);
        // Every request starts on the client's own event-loop context rather than on a fresh context per calling
        // thread. With a fresh context per call, a few requests in a thousand under load never reached the wire and
        // hung until the deadline below; with one context none did in the benchmark (docs/performance.md). The
        // deadline stays as the backstop: a hung request is a failed attempt, retried under the same webhook-id.
        CompletableFuture<HttpClientResponse> future = new CompletableFuture<>();
        context.runOnContext(ignored -> client.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> response))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        future.complete(ar.result());
                    } else {
                        future.completeExceptionally(ar.cause());
                    }
                }));
        try {
            HttpClientResponse response = future.get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            return new Outcome(response.statusCode(), response.getHeader("Retry-After"), null, millisSince(started), true);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome(null, null, "timeout", millisSince(started), true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String error = cause instanceof io.netty.handler.timeout.TimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException
                    || (cause != null && cause.getClass().getSimpleName().contains("Timeout"))
                            ? "timeout"
                            : "connection failed: " + (cause == null ? "unknown" : cause.getClass().getSimpleName());
            return new Outcome(null, null, error, millisSince(started), true);
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
