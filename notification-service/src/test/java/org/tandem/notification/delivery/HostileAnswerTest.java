package org.tandem.notification.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.notification.support.Api;
import org.tandem.notification.support.HostileServer;
import org.tandem.notification.support.HostileServer.Behaviour;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WebhookSender} alone against each hostile behaviour on a real socket ({@link HostileServer}),
 * several attempts at once: the outcome, the time it took, and that the sender closed every connection by
 * the deadline. {@link HostileEndpointTest} runs the same behaviours through the whole delivery path.
 */
class HostileAnswerTest {

    static final Duration DEADLINE = Duration.ofSeconds(1);
    static final Duration MARGIN = Duration.ofMillis(1000);
    static Vertx vertx;
    static WebhookSender sender;

    @BeforeAll
    static void setUp() {
        vertx = Vertx.vertx();
        EndpointUrlPolicy policy = new EndpointUrlPolicy();
        policy.allowLoopback = true;
        policy.allowHttp = true;
        sender = new WebhookSender();
        sender.vertx = vertx;
        sender.urlPolicy = policy;
        sender.timeout = DEADLINE;
        sender.perEndpoint = 4;
        sender.maxAnswerBytes = 4096;
        sender.maxHeaderBytes = 8192;
        sender.validate();
        WebhookSender.warmUpTls();
        sender.init();
        // the service is warm when a hostile endpoint comes: so is the sender here
        try (var receiver = new org.tandem.testing.WebhookReceiver()) {
            WebhookSender.Outcome warm = null;
            for (int i = 0; i < 5 && (warm == null || !warm.success()); i++) {
                warm = sender.send(receiver.url("/warm-up"), Map.of("content-type", "application/json"), "{}");
            }
            assertThat(warm.success()).as("warm-up: %s", warm).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @AfterAll
    static void tearDown() {
        sender.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void an_endless_body() throws Exception {
        attempts(Behaviour.ENDLESS_BODY, false, 200, WebhookSender.ANSWER_TOO_LARGE);
    }

    @Test
    void a_dripping_body() throws Exception {
        attempts(Behaviour.DRIPPING_BODY, false, null, WebhookSender.TIMEOUT);
    }

    @Test
    void endless_headers() throws Exception {
        attempts(Behaviour.ENDLESS_HEADERS, false, null, WebhookSender.ANSWER_TOO_LARGE);
    }

    @Test
    void a_silent_server() throws Exception {
        attempts(Behaviour.SILENT, false, null, WebhookSender.TIMEOUT);
    }

    @Test
    void a_stalled_tls_handshake() throws Exception {
        attempts(Behaviour.STALLED_TLS, true, null, WebhookSender.TIMEOUT);
    }

    @Test
    void a_redirect_loop() throws Exception {
        try (HostileServer server = attempts(Behaviour.REDIRECT_LOOP, false, 302, WebhookSender.REDIRECT)) {
            assertThat(server.requests()).as("one request per attempt").isEqualTo(4);
        }
    }

    @Test
    void a_gigabyte_content_length() throws Exception {
        attempts(Behaviour.HUGE_CONTENT_LENGTH, false, 200, WebhookSender.ANSWER_TOO_LARGE);
    }

    /** Four attempts at once; each must fail with {@code error} in time, and the server must see every connection closed. */
    HostileServer attempts(Behaviour behaviour, boolean tls, Integer status, String error) throws Exception {
        HostileServer server = new HostileServer(behaviour);
        try {
            String url = tls ? server.httpsUrl() : server.url();
            var results = new java.util.concurrent.ConcurrentLinkedQueue<WebhookSender.Outcome>();
            var threads = new java.util.ArrayList<Thread>();
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> {
                    try {
                        results.add(sender.send(
                                url, Map.of("content-type", "application/json"), "{\"type\":\"webhook.ping\"}"));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(DEADLINE.plus(MARGIN).plusSeconds(3).toMillis());
            }
            assertThat(results).hasSize(4);
            for (WebhookSender.Outcome o : results) {
                assertThat(o.success()).isFalse();
                assertThat(o.error()).isEqualTo(error);
                assertThat(o.statusCode()).isEqualTo(status);
                assertThat(o.latencyMillis())
                        .isLessThanOrEqualTo(DEADLINE.plus(MARGIN).toMillis());
            }
            if (behaviour != Behaviour.REDIRECT_LOOP) {
                Instant until = Instant.now().plus(MARGIN);
                while (server.openConnections() > 0 && Instant.now().isBefore(until)) {
                    Api.pause(20);
                }
                assertThat(server.openConnections())
                        .as("connections the sender left open")
                        .isZero();
                assertThat(server.longestConnection()).isLessThanOrEqualTo(DEADLINE.plus(MARGIN));
            }
            return server;
        } finally {
            if (behaviour != Behaviour.REDIRECT_LOOP) {
                server.close();
            }
        }
    }
}
