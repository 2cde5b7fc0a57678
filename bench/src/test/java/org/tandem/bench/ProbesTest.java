package org.tandem.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe sampler against a local server whose liveness answers in time and whose readiness does not. */
class ProbesTest {

    HttpServer server;
    final AtomicInteger readyCalls = new AtomicInteger();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/q/health/live", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.createContext("/q/health/ready", x -> {
            // every other answer comes after the kubelet's timeout, the others are a 503
            if (readyCalls.incrementAndGet() % 2 == 0) {
                Network.sleep(1500);
                x.sendResponseHeaders(200, -1);
            } else {
                x.sendResponseHeaders(503, -1);
            }
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void counts_slow_and_non_200_probes_as_failed_and_times_the_ones_in_time() {
        Probes probes = Probes.start(
                Map.of("svc", "http://127.0.0.1:" + server.getAddress().getPort()));
        Network.sleep(3_300);
        Map<String, Probes.Figures> f = probes.stop();

        Probes.Figures live = f.get("svc live");
        assertThat(live.sent()).isBetween(3, 5);
        assertThat(live.failed()).isZero();
        assertThat(live.time().getMaxValue()).isLessThan(1_000_000);

        Probes.Figures ready = f.get("svc ready");
        assertThat(ready.sent()).isEqualTo(live.sent());
        assertThat(ready.failed()).isEqualTo(ready.sent());
        assertThat(ready.failedInARow()).isEqualTo(ready.sent());
        // a probe cut off at the timeout counts at least the timeout
        assertThat(ready.time().getMaxValue()).isGreaterThanOrEqualTo(1_000_000);
    }
}
