package org.tandem.bench.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.tandem.bench.Network;
import org.tandem.bench.ProcessStats;
import org.tandem.devstack.Port;
import org.tandem.devstack.Services;
import org.tandem.devstack.StackConfig;

/**
 * What each instance of each service did during a run, to show that every instance took a share of the work:
 * CPU seconds from /proc, HTTP requests served and webhook attempts made from the instance's own
 * {@code /q/metrics}. Read every second and summed over restarts (a restarted instance starts from zero
 * again; its JVM start counts as CPU work too).
 */
public final class InstanceWork implements AutoCloseable {

    /** One instance's work over the run. */
    public record Work(String instance, double cpuSeconds, long httpRequests, long webhookAttempts) {
        /** Requests served or webhooks sent: work that the round-robin or Kafka gave it. */
        public boolean didWork() {
            return httpRequests + webhookAttempts > 0;
        }
    }

    static final String HTTP_REQUESTS = "http_server_requests_seconds_count";
    static final String WEBHOOK_ATTEMPTS = "tandem_webhook_attempts_total";

    /** A counter read again and again, summed over resets (a restart starts it at zero). */
    static final class Counter {
        private double last;
        private double total;

        void observe(double value) {
            if (value < 0) {
                return; // not read this time
            }
            total += value >= last ? value - last : value;
            last = value;
        }

        void reset() {
            last = 0;
        }

        double total() {
            return total;
        }
    }

    private static final class Tally {
        long pid = -1;
        final Counter cpu = new Counter();
        final Counter http = new Counter();
        final Counter webhooks = new Counter();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    private final StackConfig cfg;
    private final Map<Services.Instance, Tally> tallies = new LinkedHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private InstanceWork(StackConfig cfg) {
        this.cfg = cfg;
        for (Services.Service s : Services.ALL) {
            if (s.port() != Port.WEB) {
                for (Services.Instance i : Services.instances(cfg, s)) {
                    tallies.put(i, new Tally());
                }
            }
        }
        this.thread = Thread.ofPlatform().name("instance-work").daemon().unstarted(this::loop);
    }

    /** Starts reading every second. */
    public static InstanceWork start(StackConfig cfg) {
        InstanceWork w = new InstanceWork(cfg);
        w.sample();
        w.thread.start();
        return w;
    }

    private void loop() {
        while (running.get()) {
            Network.sleep(1000);
            sample();
        }
    }

    private synchronized void sample() {
        tallies.forEach((i, t) -> {
            long pid = Services.pid(cfg, i).orElse(-1L);
            if (pid < 0) {
                return; // down (killed and not yet back): what it did before is kept
            }
            if (pid != t.pid) {
                t.pid = pid;
                t.cpu.reset();
                t.http.reset();
                t.webhooks.reset();
            }
            t.cpu.observe(ProcessStats.cpuSeconds(pid));
            Map<String, Double> m = metrics(i.port(cfg));
            if (!m.isEmpty()) {
                t.http.observe(m.getOrDefault(HTTP_REQUESTS, 0.0));
                t.webhooks.observe(m.getOrDefault(WEBHOOK_ATTEMPTS, 0.0));
            }
        });
    }

    /** The sums of the named metrics over their label sets, or nothing when the instance does not answer. */
    static Map<String, Double> metrics(int port) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics"))
                            .header("Accept", "text/plain; version=0.0.4")
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? sums(r.body()) : Map.of();
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /** Sums {@link #HTTP_REQUESTS} and {@link #WEBHOOK_ATTEMPTS} over their labels in Prometheus text. */
    static Map<String, Double> sums(String prometheusText) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : prometheusText.split("\n")) {
            for (String name : List.of(HTTP_REQUESTS, WEBHOOK_ATTEMPTS)) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    // the value follows the labels; OpenMetrics may append an exemplar ("# {...} v ts") after it
                    String rest = line.substring(
                            line.startsWith(name + "{") ? endOfLabels(line, name.length()) + 1 : name.length());
                    try {
                        double v = Double.parseDouble(rest.trim().split("\\s+")[0]);
                        out.merge(name, v, Double::sum);
                    } catch (NumberFormatException ignored) {
                        // not a sample line
                    }
                }
            }
        }
        return out;
    }

    /**
     * The index of the brace that closes the label set opening at {@code open}; a brace inside a quoted label
     * value (a path template such as {@code uri="/api/v1/referrals/{id}"}) does not count.
     */
    static int endOfLabels(String line, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++; // an escaped character
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i;
            }
        }
        return line.length() - 1;
    }

    /** Each instance's work so far. */
    public synchronized List<Work> work() {
        List<Work> out = new ArrayList<>();
        tallies.forEach((i, t) -> out.add(
                new Work(i.processName(), t.cpu.total(), Math.round(t.http.total()), Math.round(t.webhooks.total()))));
        return out;
    }

    /** Stops reading, after one last reading. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5000);
        sample();
    }
}
