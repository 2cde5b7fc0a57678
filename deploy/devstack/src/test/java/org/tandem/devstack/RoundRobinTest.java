package org.tandem.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The round-robin in front of two tiny HTTP servers (stand-ins for two instances of a service): requests on
 * one kept-alive connection reach both, status, headers and bodies pass through, a stream flows as it is
 * written, an instance that refuses connections is skipped, and a request that reached an instance is never
 * sent to another.
 */
class RoundRobinTest {

    /** A stand-in instance: answers with its name, echoes the request's body and Host, counts what it got. */
    static final class Instance implements AutoCloseable {
        final String name;
        final HttpServer server;
        final AtomicInteger requests = new AtomicInteger();
        final CountDownLatch streamRead = new CountDownLatch(1);
        volatile boolean ready = true;

        Instance(String name) throws IOException {
            this.name = name;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/echo", ex -> {
                requests.incrementAndGet();
                byte[] in;
                try (InputStream body = ex.getRequestBody()) {
                    in = body.readAllBytes();
                }
                byte[] out = (name + " " + ex.getRequestMethod() + " " + ex.getRequestURI() + " host="
                                + ex.getRequestHeaders().getFirst("Host") + " x-test="
                                + ex.getRequestHeaders().getFirst("X-Test") + " body="
                                + new String(in, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("X-Instance", name);
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(201, out.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(out);
                }
            });
            server.createContext("/q/health/ready", ex -> {
                byte[] out = ("{\"status\":\"" + (ready ? "UP" : "DOWN") + "\"}").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(ready ? 200 : 503, out.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(out);
                }
            });
            server.createContext("/stream", ex -> {
                requests.incrementAndGet();
                ex.getResponseHeaders().set("Content-Type", "text/event-stream");
                ex.sendResponseHeaders(200, 0); // chunked
                try (OutputStream o = ex.getResponseBody()) {
                    o.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
                    o.flush();
                    // the second event only after the client has read the first: a buffering proxy never gets there
                    if (!streamRead.await(20, TimeUnit.SECONDS)) {
                        return;
                    }
                    o.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    final List<AutoCloseable> open = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    <T extends AutoCloseable> T opened(T c) {
        open.add(c);
        return c;
    }

    RoundRobin roundRobin(int... instancePorts) {
        List<Integer> ports = new ArrayList<>();
        for (int p : instancePorts) {
            ports.add(p);
        }
        return opened(RoundRobin.start(List.of(new RoundRobin.Route(0, ports))));
    }

    HttpResponse<String> post(RoundRobin rr, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + rr.ports().getFirst() + "/echo?x=1"))
                        .header("X-Test", "kept")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requests_on_one_kept_alive_connection_alternate_between_the_instances_and_pass_through_whole()
            throws Exception {
        Instance a = opened(new Instance("a"));
        Instance b = opened(new Instance("b"));
        RoundRobin rr = roundRobin(a.port(), b.port());

        List<String> served = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = post(rr, "payload-" + i);
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
            String instance = r.headers().firstValue("X-Instance").orElseThrow();
            assertThat(r.body())
                    .isEqualTo(instance + " POST /echo?x=1 host=localhost:"
                            + rr.ports().getFirst() + " x-test=kept body=payload-" + i);
            served.add(instance);
        }
        assertThat(a.requests).hasValue(5);
        assertThat(b.requests).hasValue(5);
        for (int i = 1; i < served.size(); i++) {
            assertThat(served.get(i)).as("request %d", i).isNotEqualTo(served.get(i - 1));
        }
    }

    @Test
    void an_instance_that_is_not_ready_gets_no_requests_until_it_is() throws Exception {
        Instance a = opened(new Instance("a"));
        Instance b = opened(new Instance("b"));
        b.ready = false; // started, port open, but still warming up
        RoundRobin rr = roundRobin(a.port(), b.port());
        Thread.sleep(RoundRobin.READINESS_EVERY.toMillis() * 2);

        for (int i = 0; i < 6; i++) {
            assertThat(post(rr, "p" + i).headers().firstValue("X-Instance")).hasValue("a");
        }
        assertThat(b.requests).hasValue(0);

        b.ready = true;
        Thread.sleep(RoundRobin.READINESS_EVERY.toMillis() * 2);
        for (int i = 0; i < 6; i++) {
            post(rr, "q" + i);
        }
        assertThat(b.requests).hasValue(3);
        assertThat(a.requests).hasValue(9);
    }

    @Test
    void when_no_instance_is_ready_requests_still_go_round() throws Exception {
        Instance a = opened(new Instance("a"));
        Instance b = opened(new Instance("b"));
        a.ready = false;
        b.ready = false;
        RoundRobin rr = roundRobin(a.port(), b.port());
        Thread.sleep(RoundRobin.READINESS_EVERY.toMillis() * 2);
        for (int i = 0; i < 4; i++) {
            assertThat(post(rr, "p" + i).statusCode()).isEqualTo(201);
        }
        assertThat(a.requests).hasValue(2);
        assertThat(b.requests).hasValue(2);
    }

    @Test
    void an_instance_that_refuses_connections_is_skipped_and_every_request_is_answered() throws Exception {
        Instance a = opened(new Instance("a"));
        int refusing;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            refusing = s.getLocalPort(); // closed again: nothing listens there now
        }
        RoundRobin rr = roundRobin(refusing, a.port());

        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = post(rr, "p" + i);
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().firstValue("X-Instance")).hasValue("a");
        }
        assertThat(a.requests).hasValue(6);
    }

    @Test
    void when_no_instance_accepts_the_caller_gets_a_502_problem() throws Exception {
        int p1;
        int p2;
        try (ServerSocket s1 = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                ServerSocket s2 = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            p1 = s1.getLocalPort();
            p2 = s2.getLocalPort();
        }
        RoundRobin rr = roundRobin(p1, p2);

        HttpResponse<String> r = post(rr, "x");

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("\"status\":502");
    }

    @Test
    void a_request_that_reached_an_instance_which_died_is_not_sent_to_another() throws Exception {
        Instance a = opened(new Instance("a"));
        // an instance that says it is ready, then takes a request and dies before answering
        ServerSocket dying = opened(new ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress()));
        AtomicInteger taken = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            while (!dying.isClosed()) {
                try (Socket s = dying.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()));
                    String line = in.readLine();
                    if (line != null && line.startsWith("GET /q/health/ready")) {
                        s.getOutputStream()
                                .write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                        .getBytes(StandardCharsets.US_ASCII));
                    } else if (line != null) {
                        taken.incrementAndGet();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        RoundRobin rr = roundRobin(dying.getLocalPort(), a.port());

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(post(rr, "once-" + i).statusCode());
        }

        // two went to the dying one and got a 502; the other two were answered by a; none was sent twice
        assertThat(statuses).containsExactlyInAnyOrder(502, 502, 201, 201);
        assertThat(taken).hasValue(2);
        assertThat(a.requests).hasValue(2);
    }

    @Test
    void a_server_sent_event_stream_flows_through_as_it_is_written() throws Exception {
        Instance a = opened(new Instance("a"));
        RoundRobin rr = roundRobin(a.port());

        HttpResponse<InputStream> r = http.send(
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + rr.ports().getFirst() + "/stream"))
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            // the first event arrives while the instance still holds the stream open
            String first = CompletableFuture.supplyAsync(() -> readLine(in)).get(10, TimeUnit.SECONDS);
            assertThat(first).isEqualTo("data: first");
            a.streamRead.countDown();
            assertThat(readLine(in)).isEmpty();
            assertThat(readLine(in)).isEqualTo("data: second");
        }
    }

    static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void it_listens_on_the_loopback_address_only() throws Exception {
        Instance a = opened(new Instance("a"));
        RoundRobin rr = roundRobin(a.port());
        java.net.InetAddress outside = java.net.NetworkInterface.networkInterfaces()
                .filter(n -> {
                    try {
                        return n.isUp() && !n.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(ad -> ad instanceof java.net.Inet4Address)
                .findFirst()
                .orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(outside != null, "this machine has no address but loopback");

        try (Socket s = new Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            s.connect(new InetSocketAddress(outside, rr.ports().getFirst()), 2000))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void a_route_is_parsed_from_its_command_line_form_and_back() {
        RoundRobin.Route r = RoundRobin.Route.parse("18101=18111,18121");
        assertThat(r.port()).isEqualTo(18101);
        assertThat(r.instances()).containsExactly(18111, 18121);
        assertThat(r.arg()).isEqualTo("18101=18111,18121");
    }
}
