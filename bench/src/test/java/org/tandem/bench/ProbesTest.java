package org.tandem.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.tandem.testing.RunningServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe sampler against a local server whose liveness answers within its 5 s, every other time after more than
 * a second, and whose readiness does not answer within its one second; and its timeouts against the manifests'.
 */
class ProbesTest {

    HttpServer server;
    final AtomicInteger readyCalls = new AtomicInteger();
    final AtomicInteger liveCalls = new AtomicInteger();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/q/health/live", x -> {
            // every other answer after readiness's timeout, within liveness's
            if (liveCalls.incrementAndGet() % 2 == 0) {
                Network.sleep(1500);
            }
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
        assertThat(live.time().getMaxValue()).isBetween(1_500_000L, 5_000_000L);

        Probes.Figures ready = f.get("svc ready");
        assertThat(ready.sent()).isEqualTo(live.sent());
        assertThat(ready.failed()).isEqualTo(ready.sent());
        assertThat(ready.failedInARow()).isEqualTo(ready.sent());
        // a probe cut off at the timeout counts at least the timeout
        assertThat(ready.time().getMaxValue()).isGreaterThanOrEqualTo(1_000_000);
    }

    /** The sampler times each kind as the kubelet would with deploy/kubernetes's probes of the three services. */
    @Test
    void the_timeouts_are_the_manifests() throws IOException {
        Path manifests = RunningServices.repoRoot().resolve("deploy/kubernetes");
        for (String service : java.util.List.of("registry-service", "referral-service", "notification-service")) {
            String yaml = Files.readString(manifests.resolve(service + ".yaml"));
            for (String kind : Probes.KINDS) {
                String probe = kind.equals("live") ? "livenessProbe" : "readinessProbe";
                Matcher m = Pattern.compile(probe + ": \\{[^\\n]*?path: /q/health/" + kind + "\\b([^\\n]*)")
                        .matcher(yaml);
                assertThat(m.find()).as("%s has a %s", service, probe).isTrue();
                Matcher timeout = Pattern.compile("timeoutSeconds: (\\d+)").matcher(m.group(1));
                // the kubelet's default when the manifest sets none
                Duration manifest = Duration.ofSeconds(timeout.find() ? Long.parseLong(timeout.group(1)) : 1);
                assertThat(Probes.TIMEOUTS.get(kind)).as("%s %s", service, kind).isEqualTo(manifest);
            }
        }
    }
}
