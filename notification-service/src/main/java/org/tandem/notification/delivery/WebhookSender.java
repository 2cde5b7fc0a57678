package org.tandem.notification.delivery;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends one webhook request to an endpoint that is treated as hostile (docs/security.md, "Hostile webhook
 * endpoints"). The URL is checked by {@link EndpointUrlPolicy} right before, and the connection goes to the
 * address that passed the check (the host name still serves TLS verification and SNI).
 *
 * <p>One deadline ({@code tandem.webhooks.timeout}) covers the whole attempt: waiting for a connection,
 * connecting, the TLS handshake, the answer's headers and its body. When it passes, the request is reset
 * and its connection closed; nothing of the attempt is left running. A connection still connecting or in
 * its TLS handshake is failed by the connect and handshake timeouts, which are the same deadline. Of the
 * answer only the status line, {@code Retry-After} and at most {@code tandem.webhooks.max-answer-bytes} of
 * body are read: a longer body, or a {@code Content-Length} that announces one, fails the attempt ("answer
 * too large") and closes the connection at once, as do headers beyond {@code tandem.webhooks.max-header-bytes}.
 * Redirects are never followed and answers are never decompressed.
 */
@ApplicationScoped
public class WebhookSender {

    /** The error of an attempt whose deadline passed. */
    public static final String TIMEOUT = "timeout";
    /** The error of an attempt whose answer (headers or body) was longer than allowed. */
    public static final String ANSWER_TOO_LARGE = "answer too large";
    /** The error of an attempt answered with a redirect (3xx), which is never followed. */
    public static final String REDIRECT = "redirect not followed";

    /** Bounds of the settings, checked at startup. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

    static final int MAX_ANSWER_BYTES = 64 * 1024;
    static final int MIN_HEADER_BYTES = 1024;
    static final int MAX_HEADER_BYTES = 64 * 1024;

    /**
     * What came of one attempt: a status code, or an error phrase, or both (a status whose answer was too
     * large); and how long it took. Only a 2xx answer without an error is a success.
     */
    public record Outcome(Integer statusCode, String retryAfter, String error, long latencyMillis, boolean connected) {
        public boolean success() {
            return error == null && statusCode != null && statusCode >= 200 && statusCode < 300;
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

    /** The most bytes of an answer's body that are read; a longer answer fails the attempt. */
    @ConfigProperty(name = "tandem.webhooks.max-answer-bytes", defaultValue = "4096")
    int maxAnswerBytes;

    /** The most bytes of an answer's status line and headers together. */
    @ConfigProperty(name = "tandem.webhooks.max-header-bytes", defaultValue = "8192")
    int maxHeaderBytes;

    private HttpClient client;
    private Context context;

    void onStart(@Observes StartupEvent e) {
        validate();
        warmUpTls();
    }

    /** Refuses to start with settings that would not bound what an endpoint can make the service hold. */
    void validate() {
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalStateException(
                    "tandem.webhooks.timeout (" + timeout + ") must be more than zero and at most " + MAX_TIMEOUT);
        }
        if (maxAnswerBytes < 0 || maxAnswerBytes > MAX_ANSWER_BYTES) {
            throw new IllegalStateException("tandem.webhooks.max-answer-bytes (" + maxAnswerBytes
                    + ") must be between 0 and " + MAX_ANSWER_BYTES);
        }
        if (maxHeaderBytes < MIN_HEADER_BYTES || maxHeaderBytes > MAX_HEADER_BYTES) {
            throw new IllegalStateException("tandem.webhooks.max-header-bytes (" + maxHeaderBytes + ") must be between "
                    + MIN_HEADER_BYTES + " and " + MAX_HEADER_BYTES);
        }
    }

    /**
     * Initialises the JDK's TLS (trust store, providers, a first ClientHello) once at startup, so that the
     * first HTTPS attempt does not spend its deadline, and the event loop's time, on it.
     */
    static void warmUpTls() {
        try {
            SSLEngine engine = SSLContext.getDefault().createSSLEngine("warm-up.invalid", 443);
            engine.setUseClientMode(true);
            engine.beginHandshake();
            engine.wrap(
                    ByteBuffer.allocate(0),
                    ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
        } catch (GeneralSecurityException | SSLException e) {
            throw new IllegalStateException("TLS is not available for webhook delivery", e);
        }
    }

    @PostConstruct
    void init() {
        context = vertx.getOrCreateContext();
        int deadline = (int) timeout.toMillis();
        client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(deadline)
                .setSslHandshakeTimeout(deadline)
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout(deadline + 1_000)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setKeepAlive(true)
                // a kept-alive connection unused this long is closed
                .setKeepAliveTimeout((int) Math.max(1, timeout.toSeconds() + 1))
                // per host: one kept-alive connection for each request the dispatcher may have in flight to an endpoint
                .setMaxPoolSize(Math.max(1, perEndpoint))
                .setMaxInitialLineLength(Math.min(4096, maxHeaderBytes))
                .setMaxHeaderSize(maxHeaderBytes)
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
                .setServer(SocketAddress.inetSocketAddress(
                        target.port(), target.address().getHostAddress()))
                .setURI(target.requestUri())
                .setFollowRedirects(false)
                // waiting for a pooled connection, connecting and the handshake: within the same deadline
                .setConnectTimeout(timeout.toMillis());
        headers.forEach(options::putHeader);
        // Every request starts on the client's own event-loop context rather than on a fresh context per calling
        // thread. With a fresh context per call, a few requests in a thousand under load never reached the wire and
        // hung until the deadline; with one context none did in the benchmark (docs/performance.md).
        Attempt attempt = new Attempt(started);
        context.runOnContext(ignored -> attempt.start(options, Buffer.buffer(body)));
        try {
            // The attempt ends itself at the deadline; this wait is only a backstop should the event loop be stuck.
            return attempt.outcome.get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            context.runOnContext(ignored -> attempt.fail(null, TIMEOUT));
            return new Outcome(null, null, TIMEOUT, millisSince(started), true);
        } catch (ExecutionException e) {
            return new Outcome(null, null, describe(e.getCause()), millisSince(started), true);
        }
    }

    /**
     * One request and its answer. Every method runs on the client's event loop, so the fields need no
     * locking; the first result wins and anything later only tears down what is left.
     */
    private final class Attempt {
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        final long started;
        HttpClientRequest request;
        long deadlineTimer = -1;
        long bodyBytes;

        Attempt(long started) {
            this.started = started;
        }

        void start(RequestOptions options, Buffer body) {
            deadlineTimer = vertx.setTimer(timeout.toMillis(), id -> fail(null, TIMEOUT));
            client.request(options).onComplete(ar -> {
                if (ar.failed()) {
                    fail(null, describe(ar.cause()));
                    return;
                }
                request = ar.result();
                if (outcome.isDone()) { // the deadline passed while the connection was being made
                    tearDown();
                    return;
                }
                request.exceptionHandler(ex -> fail(null, describe(ex)));
                request.send(body).onComplete(rar -> {
                    if (rar.failed()) {
                        fail(null, describe(rar.cause()));
                    } else {
                        answer(rar.result());
                    }
                });
            });
        }

        private void answer(HttpClientResponse response) {
            if (outcome.isDone()) {
                tearDown();
                return;
            }
            int status = response.statusCode();
            String retryAfter = response.getHeader("Retry-After");
            response.exceptionHandler(ex -> fail(status, describe(ex)));
            String length = response.getHeader("Content-Length");
            if (length != null && declaredTooLarge(length)) {
                fail(status, ANSWER_TOO_LARGE);
                return;
            }
            response.handler(chunk -> {
                bodyBytes += chunk.length();
                if (bodyBytes > maxAnswerBytes) {
                    fail(status, ANSWER_TOO_LARGE);
                }
            });
            response.endHandler(ignored -> finish(new Outcome(
                    status, retryAfter, status >= 300 && status < 400 ? REDIRECT : null, millisSince(started), true)));
        }

        private boolean declaredTooLarge(String length) {
            try {
                return Long.parseLong(length.trim()) > maxAnswerBytes;
            } catch (NumberFormatException e) {
                return true; // not a length: Netty refuses it too
            }
        }

        /** Fails the attempt (if it has no result yet) and tears the request and its connection down. */
        void fail(Integer status, String error) {
            finish(new Outcome(status, null, error, millisSince(started), true));
            tearDown();
        }

        private void finish(Outcome result) {
            if (outcome.complete(result) && deadlineTimer >= 0) {
                vertx.cancelTimer(deadlineTimer);
            }
        }

        private void tearDown() {
            if (request == null) {
                return;
            }
            request.reset();
            HttpConnection connection = request.connection();
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** A short, fixed phrase for why an attempt failed (stored and shown to the endpoint's owner). */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TooLongFrameException) {
                return ANSWER_TOO_LARGE;
            }
            if (t instanceof SslHandshakeTimeoutException
                    || t instanceof ConnectTimeoutException
                    || t instanceof TimeoutException
                    || t instanceof io.netty.handler.timeout.TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return TIMEOUT;
            }
            if (t instanceof SSLException) {
                return "TLS failed";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return "connection failed: "
                + (failure == null ? "unknown" : failure.getClass().getSimpleName());
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
