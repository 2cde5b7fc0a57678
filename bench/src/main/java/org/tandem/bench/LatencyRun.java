package org.tandem.bench;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;

/**
 * One offered rate of referral transitions, open loop: transition i is sent at start + i/rate whatever
 * happened to the ones before, so a slow system meets a growing queue instead of a politely waiting client
 * (no coordinated omission). Each transition is timed from its HTTP response, the moment the state change is
 * committed, to the arrival of its signed webhook at the sender's endpoint.
 *
 * <p>Half the transitions acknowledge a submitted referral and half accept an acknowledged one, so each
 * prepared referral carries two.
 */
public final class LatencyRun {

    /** The outcome of one rate. Latencies are in microseconds. */
    public record Result(
            int offeredRate,
            int seconds,
            int transitions,
            Histogram webhookLatency,
            Histogram responseTime,
            int errors,
            int missing,
            int webhookBeforeResponse,
            double achievedRate,
            Map<String, Double> coresUsed,
            Map<String, Probes.Figures> probes) {

        public boolean sustained(long p99LimitMicros) {
            return errors == 0 && missing == 0 && webhookLatency.getValueAtPercentile(99) < p99LimitMicros;
        }
    }

    static final List<String> STEPS = List.of("acknowledgement", "acceptance");
    static final Map<String, String> WEBHOOK_TYPE =
            Map.of("acknowledgement", "referral.acknowledged", "acceptance", "referral.accepted");

    private final TandemApi api;
    private final Network network;
    private final Receiver receiver;
    private final Map<String, Long> pids;

    public LatencyRun(TandemApi api, Network network, Receiver receiver, Map<String, Long> pids) {
        this.api = api;
        this.network = network;
        this.receiver = receiver;
        this.pids = pids;
    }

    /** Creates and submits {@code count} referrals, a few at a time; not timed. */
    List<String> prepare(int count) throws Exception {
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger failures = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            pool.submit(() -> {
                TandemApi.Answer created = api.createReferral(
                        network.senderCaseworker(),
                        network.receiverId(),
                        UUID.randomUUID().toString());
                if (!created.ok()) {
                    failures.incrementAndGet();
                    return;
                }
                String id = created.json().get("id").asText();
                if (api.transition(
                                network.senderCaseworker(),
                                id,
                                "submission",
                                UUID.randomUUID().toString())
                        .ok()) {
                    ids.add(id);
                } else {
                    failures.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
        if (failures.get() > count / 100) {
            throw new IllegalStateException(failures.get() + " of " + count + " referrals could not be prepared");
        }
        return ids;
    }

    /** Called when the timed load begins and when its last webhook has arrived (a profiler around the load). */
    public interface LoadWindow {
        LoadWindow NONE = new LoadWindow() {};

        default void opens() throws Exception {}

        default void closes() throws Exception {}

        /** This window and {@code other}, opened in that order and closed in the reverse. */
        default LoadWindow and(LoadWindow other) {
            LoadWindow first = this;
            return new LoadWindow() {
                @Override
                public void opens() throws Exception {
                    first.opens();
                    other.opens();
                }

                @Override
                public void closes() throws Exception {
                    other.closes();
                    first.closes();
                }
            };
        }
    }

    public Result run(int rate, int seconds) throws Exception {
        return run(rate, seconds, LoadWindow.NONE);
    }

    public Result run(int rate, int seconds, LoadWindow window) throws Exception {
        network.refresh();
        int transitions = rate * seconds;
        List<String> referrals = prepare((transitions + 1) / 2);
        List<String[]> plan = new ArrayList<>(); // {referralId, step}
        for (String step : STEPS) {
            for (String id : referrals) {
                if (plan.size() < transitions) {
                    plan.add(new String[] {id, step});
                }
            }
        }
        Set<String> expected = ConcurrentHashMap.newKeySet();
        plan.forEach(p -> expected.add(p[0] + "|" + WEBHOOK_TYPE.get(p[1])));
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        receiver.onDelivery(d -> {
            String key = d.referralId() + "|" + d.type();
            if (expected.contains(key)) {
                arrivals.putIfAbsent(key, d.arrivalNanos());
            }
        });
        // the submissions' own webhooks go to the same endpoint: let them all arrive before the clock starts,
        // so that the measured transitions do not queue behind the preparation
        Set<String> prepared = Set.copyOf(referrals);
        long drainUntil = System.nanoTime() + 180_000_000_000L;
        while (receiver.deliveries().stream()
                                .filter(d -> "referral.submitted".equals(d.type()) && prepared.contains(d.referralId()))
                                .map(Receiver.Delivery::referralId)
                                .distinct()
                                .count()
                        < prepared.size()
                && System.nanoTime() < drainUntil) {
            Network.sleep(200);
        }
        Network.sleep(1000);

        Map<String, Long> responses = new ConcurrentHashMap<>();
        Histogram responseTime = new Histogram(3_600_000_000L, 3);
        AtomicInteger errors = new AtomicInteger();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        window.opens();
        Probes probes = Probes.start(new TreeMap<>(api.serviceUrls()));
        Map<String, Double> cpuBefore = ProcessStats.cpu(pids);
        String token = network.receiverCaseworker();
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 100_000_000L;
        for (int i = 0; i < plan.size(); i++) {
            long intended = start + i * period;
            OpenLoop.sleepUntil(intended);
            String[] p = plan.get(i);
            String key = p[0] + "|" + WEBHOOK_TYPE.get(p[1]);
            inFlight.add(api.transitionAsync(token, p[0], p[1]).whenComplete((r, err) -> {
                long now = System.nanoTime();
                synchronized (responseTime) {
                    // from the intended send time: a late sender shows up here, not hidden
                    responseTime.recordValue(Math.max(0, (now - intended) / 1000));
                }
                if (err == null && r.statusCode() >= 200 && r.statusCode() < 300) {
                    responses.put(key, now);
                } else {
                    errors.incrementAndGet();
                    expected.remove(key);
                }
            }));
        }
        long sendEnd = System.nanoTime();
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null)
                .get(120, TimeUnit.SECONDS);
        long waitUntil = System.nanoTime() + 60_000_000_000L;
        while (arrivals.size() < responses.size() && System.nanoTime() < waitUntil) {
            Network.sleep(50);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Double> cores = ProcessStats.coresUsed(cpuBefore, ProcessStats.cpu(pids), elapsed);
        Map<String, Probes.Figures> probed = probes.stop();
        window.closes();

        Histogram latency = new Histogram(3_600_000_000L, 3);
        int missing = 0;
        int early = 0;
        for (var e : responses.entrySet()) {
            Long arrived = arrivals.get(e.getKey());
            if (arrived == null) {
                missing++;
                continue;
            }
            long micros = (arrived - e.getValue()) / 1000;
            if (micros < 0) {
                early++; // the webhook came before the client had read the response: the commit was earlier still
                micros = 0;
            }
            latency.recordValue(micros);
        }
        receiver.onDelivery(d -> {});
        double achieved = plan.size() / ((sendEnd - start) / 1e9);
        return new Result(
                rate,
                seconds,
                plan.size(),
                latency,
                responseTime,
                errors.get(),
                missing,
                early,
                achieved,
                cores,
                probed);
    }
}
