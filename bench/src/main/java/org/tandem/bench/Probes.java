package org.tandem.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Health probes while a rate is offered, as Kubernetes sends them (docs/operations.md, "Probes under load"): once
 * a second to each service's {@code /q/health/live} and {@code /q/health/ready}, each with the timeout that
 * deploy/kubernetes gives it ({@link #TIMEOUTS}: 5 s for liveness, the kubelet's default of one second for
 * readiness). A probe that takes longer, or answers anything but 200, would count as a failure to the kubelet:
 * six liveness failures in a row restart the pod, three readiness failures take it out of the Service.
 */
public final class Probes implements AutoCloseable {

    static final List<String> KINDS = List.of("live", "ready");

    /** Each kind's timeout, as the manifests set it (ProbesTest reads them from deploy/kubernetes). */
    static final Map<String, Duration> TIMEOUTS = Map.of("live", Duration.ofSeconds(5), "ready", Duration.ofSeconds(1));

    private static final Duration LONGEST =
            TIMEOUTS.values().stream().max(Duration::compareTo).orElseThrow();

    /** One service's probes of one kind: their time from send to answer (µs), and how many failed. */
    public record Figures(Histogram time, int sent, int failed, int failedInARow) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(LONGEST).build();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-probes");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Recorder> recorders = new LinkedHashMap<>();
    private final List<CompletableFuture<?>> inFlight = new ArrayList<>();

    private Probes() {}

    /** Starts probing each service (name → base URL) once a second. */
    public static Probes start(Map<String, String> services) {
        Probes p = new Probes();
        services.forEach((service, url) -> {
            for (String kind : KINDS) {
                Recorder r = new Recorder(URI.create(url + "/q/health/" + kind), TIMEOUTS.get(kind));
                p.recorders.put(service + " " + kind, r);
            }
        });
        p.clock.scheduleAtFixedRate(p::probeAll, 0, 1, TimeUnit.SECONDS);
        return p;
    }

    private void probeAll() {
        synchronized (inFlight) {
            inFlight.removeIf(CompletableFuture::isDone);
            recorders.values().forEach(r -> inFlight.add(r.probe(http)));
        }
    }

    /** Stops probing, waits for the probes under way (at most their timeout) and returns, per "service kind", the figures. */
    public Map<String, Figures> stop() {
        clock.shutdownNow();
        List<CompletableFuture<?>> left;
        synchronized (inFlight) {
            left = List.copyOf(inFlight);
        }
        CompletableFuture.allOf(left.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, LONGEST.toMillis() * 2, TimeUnit.MILLISECONDS)
                .join();
        Map<String, Figures> figures = new LinkedHashMap<>();
        recorders.forEach((key, r) -> figures.put(key, r.figures()));
        return figures;
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }

    /** One probe target; synchronised because the answers arrive on the HTTP client's threads. */
    private static final class Recorder {
        private final HttpRequest request;
        private final Histogram time = new Histogram(60_000_000L, 3);
        private int sent;
        private int failed;
        private int inARow;
        private int mostInARow;

        Recorder(URI uri, Duration timeout) {
            this.request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        }

        CompletableFuture<?> probe(HttpClient http) {
            long sentAt = System.nanoTime();
            synchronized (this) {
                sent++;
            }
            // handled, not passed on: a probe that timed out is a figure, not an error of the run
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .handle((response, error) -> {
                        record(sentAt, error == null && response.statusCode() == 200);
                        return null;
                    });
        }

        private synchronized void record(long sentAt, boolean ok) {
            long micros = (System.nanoTime() - sentAt) / 1000;
            // a probe cut off by its timeout is recorded at the timeout: the kubelet waits no longer
            time.recordValue(Math.min(micros, time.getHighestTrackableValue()));
            if (ok) {
                inARow = 0;
            } else {
                failed++;
                mostInARow = Math.max(mostInARow, ++inARow);
            }
        }

        synchronized Figures figures() {
            return new Figures(time.copy(), sent, failed, mostInARow);
        }
    }
}
