package org.tandem.devstack;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

/**
 * The local stack's round-robin in front of a service's instances ({@code ./tandem up --instances 2}): it
 * listens on the service's usual port, on 127.0.0.1 only, and sends each HTTP request (not each connection:
 * clients keep connections alive) to the next instance in turn. Status, headers and bodies pass through as
 * streams, so Server-Sent Events flow as they are written.
 *
 * <p>Every {@link #READINESS_EVERY} it asks each instance's {@code /q/health/ready}: an instance that does not
 * answer 200 gets no new requests while another instance does, so a restarted instance gets traffic only
 * once it says it is ready (and warm: docs/operations.md), not as soon as its port is open.
 *
 * <p>An instance that refuses the connection (killed, or still starting) is skipped for {@link #DOWN_FOR}, and
 * the request goes to the next instance, once: nothing of it reached a service. A request whose connection was
 * made is never sent twice; if its instance dies before answering, the caller gets a 502 (or, once the answer
 * had begun, a reset connection), as from any load balancer. Each request goes out with the caller's Host header,
 * so the services build the links they return with the round-robin's address. See docs/operations.md.
 */
public final class RoundRobin implements AutoCloseable {

    static final String NAME = "round-robin";
    /** How long an instance that refused a connection is left out before it is tried again. */
    static final Duration DOWN_FOR = Duration.ofSeconds(2);

    /** How often each instance's readiness is asked. */
    static final Duration READINESS_EVERY = Duration.ofSeconds(1);

    /** Headers of one hop only (RFC 9110, 7.6.1), which a proxy must not pass on. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade");

    /** One service: the port it listens on and its instances' ports. */
    public record Route(int port, List<Integer> instances) {
        public Route {
            instances = List.copyOf(instances);
            if (instances.isEmpty()) {
                throw new IllegalArgumentException("a route needs at least one instance");
            }
        }

        /** {@code PORT=P1,P2,...}, as on the command line. */
        static Route parse(String arg) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected PORT=P1,P2,..., not '" + arg + "'");
            }
            List<Integer> instances = new ArrayList<>();
            for (String p : arg.substring(eq + 1).split(",")) {
                instances.add(Integer.parseInt(p.trim()));
            }
            return new Route(Integer.parseInt(arg.substring(0, eq).trim()), instances);
        }

        String arg() {
            StringBuilder sb = new StringBuilder().append(port).append('=');
            for (int i = 0; i < instances.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(instances.get(i));
            }
            return sb.toString();
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final List<HttpServer> servers = new ArrayList<>();

    private RoundRobin(Vertx vertx, HttpClient client) {
        this.vertx = vertx;
        this.client = client;
    }

    /** Starts a round-robin in this JVM for every route (port 0: any free port, see {@link #ports()}). */
    public static RoundRobin start(List<Route> routes) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1));
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setConnectTimeout(2000)
                        .setKeepAlive(true)
                        // the services decide how they encode; the round-robin passes bytes on
                        .setDecompressionSupported(false),
                // open feeds (Server-Sent Events) hold a connection each
                new PoolOptions().setHttp1MaxSize(256));
        RoundRobin rr = new RoundRobin(vertx, client);
        try {
            for (Route route : routes) {
                Balancer b = new Balancer(route);
                HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                        .setHost("127.0.0.1")
                        .setPort(route.port())
                        .setDecompressionSupported(false));
                server.requestHandler(req -> rr.handle(b, req));
                rr.checkReadiness(b);
                vertx.setPeriodic(READINESS_EVERY.toMillis(), id -> rr.checkReadiness(b));
                rr.servers.add(server.listen()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));
            }
        } catch (Exception e) {
            rr.close();
            throw new StackException("the round-robin could not listen: " + e, e);
        }
        return rr;
    }

    /** The ports it listens on, in the order of the routes. */
    public List<Integer> ports() {
        return servers.stream().map(HttpServer::actualPort).toList();
    }

    /**
     * Which instance is next: those that said ready and have not refused a connection lately first, then those
     * that only have not refused one (when none says ready, say while all start), and if all are left out, the
     * next in turn.
     */
    static final class Balancer {
        final Route route;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicLongArray downUntil;
        private final AtomicIntegerArray unready; // 1 while its last readiness answer was not 200

        Balancer(Route route) {
            this.route = route;
            this.downUntil = new AtomicLongArray(route.instances().size());
            this.unready = new AtomicIntegerArray(route.instances().size());
        }

        private boolean up(int i, long now) {
            return downUntil.get(i) - now <= 0;
        }

        private boolean usable(int i, long now) {
            return up(i, now) && unready.get(i) == 0;
        }

        /** The next instance in turn that is not left out; if all are, the next in turn. */
        int next() {
            int n = route.instances().size();
            int start = Math.floorMod(next.getAndIncrement(), n);
            int j = pick(start, -1);
            return j >= 0 ? j : start;
        }

        /** The first instance after {@code i} that is not left out, ready ones first, or -1. */
        int after(int i) {
            return pick((i + 1) % route.instances().size(), i);
        }

        /** From {@code from} on in turn, leaving {@code except} out: a usable instance, else one that is up. */
        private int pick(int from, int except) {
            int n = route.instances().size();
            long now = System.nanoTime();
            for (int k = 0; k < n; k++) {
                int j = (from + k) % n;
                if (j != except && usable(j, now)) {
                    return j;
                }
            }
            for (int k = 0; k < n; k++) {
                int j = (from + k) % n;
                if (j != except && up(j, now)) {
                    return j;
                }
            }
            return -1;
        }

        void ready(int i, boolean ready) {
            unready.set(i, ready ? 0 : 1);
        }

        void down(int i) {
            downUntil.set(i, System.nanoTime() + DOWN_FOR.toNanos());
        }

        void up(int i) {
            downUntil.set(i, 0);
        }
    }

    /** Asks each instance of {@code b} whether it is ready; the answers steer {@link Balancer#next()}. */
    private void checkReadiness(Balancer b) {
        for (int i = 0; i < b.route.instances().size(); i++) {
            int instance = i;
            client.request(new RequestOptions()
                            .setServer(SocketAddress.inetSocketAddress(
                                    b.route.instances().get(i), "127.0.0.1"))
                            .setMethod(io.vertx.core.http.HttpMethod.GET)
                            .setHost("localhost")
                            .setURI("/q/health/ready")
                            .setTimeout(READINESS_EVERY.toMillis()))
                    .compose(HttpClientRequest::send)
                    .compose(r -> r.body().map(body -> r.statusCode()))
                    .onComplete(ar -> b.ready(instance, ar.succeeded() && ar.result() == 200));
        }
    }

    private void handle(Balancer b, HttpServerRequest req) {
        req.pause(); // the body waits until an instance has taken the connection
        forward(b, req, b.next(), false);
    }

    private void forward(Balancer b, HttpServerRequest req, int instance, boolean retried) {
        RequestOptions o = new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(b.route.instances().get(instance), "127.0.0.1"))
                .setMethod(req.method())
                .setURI(req.uri());
        HostAndPort authority = req.authority();
        if (authority != null) { // the Host header as the caller sent it
            o.setHost(authority.host()).setPort(authority.port() > 0 ? authority.port() : b.route.port());
        } else {
            o.setHost("localhost").setPort(b.route.port());
        }
        req.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))
                    && !h.getKey().equalsIgnoreCase("host")) {
                o.addHeader(h.getKey(), h.getValue());
            }
        });
        client.request(o).onComplete(ar -> {
            if (ar.failed()) {
                b.down(instance);
                int other = b.after(instance);
                if (!retried && other >= 0 && ar.cause() instanceof ConnectException) {
                    forward(b, req, other, true); // it reached no service: the next one may take it
                } else {
                    badGateway(req);
                }
                return;
            }
            b.up(instance);
            HttpClientRequest out = ar.result();
            HttpServerResponse resp = req.response();
            resp.closeHandler(v -> out.reset()); // the caller left (a closed feed, say): so does the request
            if (isChunked(req.headers().get(HttpHeaders.TRANSFER_ENCODING))) {
                out.setChunked(true);
            }
            out.response().onComplete(rar -> {
                if (rar.failed()) {
                    failed(req);
                    return;
                }
                HttpClientResponse in = rar.result();
                resp.setStatusCode(in.statusCode());
                resp.setStatusMessage(in.statusMessage());
                in.headers().forEach(h -> {
                    if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                        resp.headers().add(h.getKey(), h.getValue());
                    }
                });
                if (isChunked(in.getHeader(HttpHeaders.TRANSFER_ENCODING))) {
                    resp.setChunked(true);
                }
                // a body cut off by a dying instance must not look complete: reset instead of ending
                in.pipe().endOnFailure(false).to(resp).onFailure(e -> resp.reset());
            });
            req.pipe().endOnFailure(false).to(out).onFailure(e -> out.reset());
        });
    }

    private static boolean isChunked(String transferEncoding) {
        return transferEncoding != null
                && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    /** The instance died after taking the request: it may have acted on it, so it is not sent again. */
    private static void failed(HttpServerRequest req) {
        if (req.response().headWritten()) {
            req.response().reset();
        } else {
            badGateway(req);
        }
    }

    private static void badGateway(HttpServerRequest req) {
        HttpServerResponse resp = req.response();
        if (resp.ended() || resp.closed()) {
            return;
        }
        req.resume();
        resp.setStatusCode(502)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                .end("{\"type\":\"about:blank\",\"title\":\"Bad Gateway\",\"status\":502,"
                        + "\"detail\":\"No instance of this service answered; try again.\"}");
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing on the way out: nothing more to do
        }
    }

    /** The standalone process: {@code RoundRobin PORT=P1,P2 [PORT=P1,P2 ...]}. */
    public static void main(String[] args) throws Exception {
        List<Route> routes = new ArrayList<>();
        for (String a : args) {
            routes.add(Route.parse(a));
        }
        RoundRobin rr = start(routes);
        for (Route r : routes) {
            System.out.println("round-robin on 127.0.0.1:" + r.port() + " over " + r.instances());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(rr::close));
        Thread.currentThread().join();
    }
}
