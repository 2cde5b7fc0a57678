package org.tandem.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;

/**
 * The warm-up curve (docs/performance.md): from the moment the services are ready, a fixed rate of real
 * referral work, cut into 10-s windows, each with its p50 and p99 and the CPU of every process, until three
 * windows in a row are steady, in latency and in the services' CPU (at least {@value #MIN_WINDOWS}, at most
 * {@value #MAX_WINDOWS} windows).
 *
 * <p>Nothing is prepared before the clock starts, since preparing would itself warm the services: every
 * referral of the curve is created, submitted, acknowledged and accepted inside it. Request <i>k</i> is due
 * at start + k/rate (open loop); each referral's four steps are a second apart, and a step whose previous one
 * has not been answered yet goes as soon as it has, its response time still counted from when it was due.
 * The latency of a window is the one of the steady rates: a transition's committed answer to its signed
 * webhook, for the transitions due in that window.
 */
public final class WarmupCurve {

    /** One window of the curve. Latencies in microseconds; {@code coresUsed} as in {@link ProcessStats}. */
    public record Window(
            int index,
            int requests,
            Histogram webhookLatency,
            Histogram responseTime,
            int errors,
            int missing,
            Map<String, Double> coresUsed) {}

    /**
     * The curve. {@code secondsReadyToLoad}: from the services' ready to the first request (the benchmark's
     * two organisations are set up in between). {@code settledFrom}: index of the first window from which
     * every window is near the steady p99 ({@link Windows#settledFrom}), or -1 when the curve never got
     * steady. {@code firstRequests}: response times of the first {@value #FIRST_REQUESTS} requests.
     */
    public record Result(
            int rate,
            int windowSeconds,
            double secondsReadyToLoad,
            List<Window> windows,
            int settledFrom,
            Histogram firstRequests,
            List<StepTimes> steps) {

        public Result {
            steps = List.copyOf(steps);
        }

        /** A curve during which nothing was done to the stack. */
        public Result(
                int rate,
                int windowSeconds,
                double secondsReadyToLoad,
                List<Window> windows,
                int settledFrom,
                Histogram firstRequests) {
            this(rate, windowSeconds, secondsReadyToLoad, windows, settledFrom, firstRequests, List.of());
        }

        /** The highest p99 of any window, in microseconds (0 without windows). */
        public long worstP99() {
            return p99s().stream().mapToLong(Long::longValue).max().orElse(0);
        }

        /** Seconds from ready to the start of the first settled window, or -1. */
        public double settledAfterSeconds() {
            return settledFrom < 0 ? -1 : secondsReadyToLoad + settledFrom * (double) windowSeconds;
        }

        public List<Long> p99s() {
            return windows.stream()
                    .map(w -> w.webhookLatency().getValueAtPercentile(99))
                    .toList();
        }
    }

    /**
     * Something done to the stack while the load goes on (the scale-out of #22: a second instance of each service
     * started): it begins when window {@code afterWindow} (from 1) ends, on a thread of its own, so the load and
     * the windows go on while it runs.
     */
    public record Step(int afterWindow, String name, Callable<?> action) {}

    /** When a step began and ended, in seconds from the curve's first request; {@code failure} or null. */
    public record StepTimes(String name, double began, double ended, String failure) {}

    static final int WINDOW_SECONDS = 10;
    static final int MIN_WINDOWS = 6;
    static final int MAX_WINDOWS = 30;
    static final int STEADY_RUN = 3;
    static final int FIRST_REQUESTS = 100;
    static final List<String> STEPS = List.of("creation", "submission", "acknowledgement", "acceptance");
    static final Map<String, String> WEBHOOK_TYPE = Map.of(
            "submission", "referral.submitted",
            "acknowledgement", "referral.acknowledged",
            "acceptance", "referral.accepted");

    private final TandemApi api;
    private final Network network;
    private final Receiver receiver;
    private final Map<String, Long> pids;

    public WarmupCurve(TandemApi api, Network network, Receiver receiver, Map<String, Long> pids) {
        this.api = api;
        this.network = network;
        this.receiver = receiver;
        this.pids = pids;
    }

    /** One request of the curve, as far as it got. Times are {@link System#nanoTime()} values. */
    private static final class Request {
        final long due;
        final String step;
        volatile String referralId;
        volatile long answered;
        volatile boolean ok;
        volatile boolean done;

        Request(long due, String step) {
            this.due = due;
            this.step = step;
        }
    }

    /** Runs the curve at {@code rate} requests per second; {@code readyNanos} is when the services were ready. */
    public Result run(int rate, long readyNanos) throws Exception {
        return run(rate, readyNanos, List.of());
    }

    /**
     * As {@link #run(int, long)}, with {@code steps} done to the stack during it. The curve then runs at least
     * {@value #MIN_WINDOWS} windows after the last step's window before it may stop, so what the step did to
     * the latency is in the report, not cut off.
     */
    public Result run(int rate, long readyNanos, List<Step> steps) throws Exception {
        return run(rate, readyNanos, steps, Long.MAX_VALUE);
    }

    /**
     * As {@link #run(int, long, List)}, and the curve stops only once its last {@value #STEADY_RUN} windows are
     * steady <i>and</i> each has a p99 of at most {@code limitMicros} (or at {@value #MAX_WINDOWS} windows after
     * the last step): a curve that is steady at seconds of latency is overloaded, not recovered, and must go on
     * to show when it came back, or that it did not.
     */
    public Result run(int rate, long readyNanos, List<Step> steps, long limitMicros) throws Exception {
        network.refresh();
        long width = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        receiver.onDelivery(d -> arrivals.putIfAbsent(d.referralId() + "|" + d.type(), d.arrivalNanos()));
        ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        // a referral's id, once its creation is answered (null when a step failed): the next step waits on it
        Map<Integer, CompletableFuture<String>> chain = new ConcurrentHashMap<>();
        List<Map<String, Double>> cpuAtBoundary = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger windows = new AtomicInteger();
        int perSecond = Math.max(1, rate / STEPS.size()); // referrals started per second
        long start = System.nanoTime() + 100_000_000L;
        double readyToLoad = (start - readyNanos) / 1e9;
        cpuAtBoundary.add(ProcessStats.cpu(pids));
        int lastStep = steps.stream().mapToInt(Step::afterWindow).max().orElse(0);
        List<StepTimes> stepTimes = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> stepThreads = new ArrayList<>();
        Thread boundaries = Thread.ofPlatform().name("warmup-windows").start(() -> {
            for (int w = 1; !stop.get(); w++) {
                OpenLoop.sleepUntil(start + w * width);
                cpuAtBoundary.add(ProcessStats.cpu(pids));
                windows.set(w);
                for (Step step : steps) {
                    if (step.afterWindow() == w) {
                        stepThreads.add(Thread.ofPlatform()
                                .name("warmup-step")
                                .start(() -> stepTimes.add(perform(step, start))));
                    }
                }
                // judge the windows before the one that just ended: their webhooks have had 10 s to arrive
                List<Long> p99s = p99s(requests, arrivals, start, width, w - 1);
                boolean longEnough = w >= MIN_WINDOWS + 1 && w >= lastStep + MIN_WINDOWS + 1;
                boolean underLimit = p99s.size() >= STEADY_RUN
                        && p99s.subList(p99s.size() - STEADY_RUN, p99s.size()).stream()
                                .allMatch(p -> p <= limitMicros);
                boolean cpuSteady = Windows.coresSteady(servicesCores(cpuAtBoundary, width), STEADY_RUN);
                if ((longEnough && underLimit && Windows.lastAreSteady(p99s, STEADY_RUN) && cpuSteady)
                        || w >= MAX_WINDOWS + lastStep) {
                    stop.set(true);
                }
                System.out.printf(
                        java.util.Locale.ROOT,
                        "[bench] warm-up window %d: p99 so far %s ms%n",
                        w,
                        p99s.isEmpty() ? "-" : Report.ms(p99s.getLast()));
            }
        });
        for (long k = 0; !stop.get(); k++) {
            long due = start + k * 1_000_000_000L / rate;
            OpenLoop.sleepUntil(due);
            if (stop.get()) {
                break;
            }
            int stepIndex = (int) (k % STEPS.size());
            int referral = (int) (k / STEPS.size()) - stepIndex * perSecond;
            if (referral < 0) {
                continue; // the first seconds: no referral is far enough along for this step yet
            }
            Request r = new Request(due, STEPS.get(stepIndex));
            requests.add(r);
            if (stepIndex == 0) {
                CompletableFuture<String> id = api.createReferralAsync(network.senderCaseworker(), network.receiverId())
                        .handle((resp, err) -> {
                            String created = err == null && resp.statusCode() >= 200 && resp.statusCode() < 300
                                    ? new TandemApi.Answer(resp.statusCode(), resp.body())
                                            .json()
                                            .get("id")
                                            .asText()
                                    : null;
                            r.referralId = created;
                            answered(r, created != null);
                            return created;
                        });
                chain.put(referral, id);
                inFlight.add(id);
            } else {
                String token = r.step.equals("submission") ? network.senderCaseworker() : network.receiverCaseworker();
                CompletableFuture<String> next = chain.get(referral).thenCompose(id -> {
                    if (id == null) {
                        answered(r, false); // its previous step failed
                        return CompletableFuture.completedFuture(null);
                    }
                    r.referralId = id;
                    return api.transitionAsync(token, id, r.step).handle((resp, err) -> {
                        boolean ok = err == null && resp.statusCode() >= 200 && resp.statusCode() < 300;
                        answered(r, ok);
                        return ok ? id : null;
                    });
                });
                chain.put(referral, next);
                inFlight.add(next);
            }
        }
        boundaries.join();
        for (Thread t : stepThreads) {
            t.join();
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null)
                .get(120, TimeUnit.SECONDS);
        long waitUntil = System.nanoTime() + 60_000_000_000L;
        while (pending(requests, arrivals) > 0 && System.nanoTime() < waitUntil) {
            Network.sleep(100);
        }
        receiver.onDelivery(d -> {});
        return result(rate, readyToLoad, requests, arrivals, start, width, windows.get(), cpuAtBoundary, stepTimes);
    }

    /**
     * The cores the services used in each complete window (every instance of each counted), from the CPU readings
     * at the windows' boundaries.
     */
    static List<Double> servicesCores(List<Map<String, Double>> cpuAtBoundary, long widthNanos) {
        List<Double> cores = new ArrayList<>();
        List<Map<String, Double>> readings = List.copyOf(cpuAtBoundary);
        for (int i = 1; i < readings.size(); i++) {
            cores.add(servicesCores(ProcessStats.coresUsed(readings.get(i - 1), readings.get(i), widthNanos / 1e9)));
        }
        return cores;
    }

    /** The sum of the services' cores in one window's {@link ProcessStats#coresUsed}. */
    static double servicesCores(Map<String, Double> coresUsed) {
        return coresUsed.entrySet().stream()
                .filter(e -> isService(e.getKey()))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    private static boolean isService(String process) {
        return process.matches(".+-service(-\\d+)?"); // referral-service, or one of several: referral-service-2
    }

    private static StepTimes perform(Step step, long start) {
        long began = System.nanoTime();
        System.out.println("[bench] " + step.name() + "...");
        String failure = null;
        try {
            step.action().call();
        } catch (Exception e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            System.out.println("[bench] " + step.name() + " failed: " + failure);
        }
        long ended = System.nanoTime();
        return new StepTimes(step.name(), (began - start) / 1e9, (ended - start) / 1e9, failure);
    }

    private static void answered(Request r, boolean ok) {
        r.answered = System.nanoTime();
        r.ok = ok;
        r.done = true;
    }

    private static String key(Request r) {
        return r.referralId + "|" + WEBHOOK_TYPE.get(r.step);
    }

    private static boolean awaitsWebhook(Request r) {
        return r.done && r.ok && WEBHOOK_TYPE.containsKey(r.step);
    }

    private static long pending(Iterable<Request> requests, Map<String, Long> arrivals) {
        long n = 0;
        for (Request r : requests) {
            if (awaitsWebhook(r) && !arrivals.containsKey(key(r))) {
                n++;
            }
        }
        return n;
    }

    /**
     * Webhook latencies by window: a webhook still on its way counts with the time it has waited so far, so
     * that a window is never judged better than it is.
     */
    private static List<Windows.Sample> webhookSamples(Iterable<Request> requests, Map<String, Long> arrivals) {
        long now = System.nanoTime();
        List<Windows.Sample> samples = new ArrayList<>();
        for (Request r : requests) {
            if (awaitsWebhook(r)) {
                Long arrived = arrivals.get(key(r));
                long micros = ((arrived != null ? arrived : now) - r.answered) / 1000;
                samples.add(new Windows.Sample(r.due, Math.max(0, micros)));
            }
        }
        return samples;
    }

    private static List<Long> p99s(
            Iterable<Request> requests, Map<String, Long> arrivals, long start, long width, int count) {
        return Windows.cut(webhookSamples(requests, arrivals), start, width, Math.max(0, count)).stream()
                .map(h -> h.getValueAtPercentile(99))
                .toList();
    }

    private Result result(
            int rate,
            double readyToLoad,
            Iterable<Request> all,
            Map<String, Long> arrivals,
            long start,
            long width,
            int count,
            List<Map<String, Double>> cpu,
            List<StepTimes> steps) {
        List<Request> requests = new ArrayList<>();
        all.forEach(requests::add);
        List<Histogram> latency = Windows.cut(webhookSamples(requests, arrivals), start, width, count);
        List<Windows.Sample> answers = new ArrayList<>();
        Histogram first = new Histogram(3_600_000_000L, 3);
        for (Request r : requests) {
            if (r.done) {
                long micros = (r.answered - r.due) / 1000;
                answers.add(new Windows.Sample(r.due, micros));
                if (first.getTotalCount() < FIRST_REQUESTS) {
                    first.recordValue(Math.max(0, micros));
                }
            }
        }
        List<Histogram> response = Windows.cut(answers, start, width, count);
        List<Window> windows = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            long from = start + w * width;
            int inWindow = 0;
            int errors = 0;
            int missing = 0;
            for (Request r : requests) {
                if (r.due >= from && r.due < from + width) {
                    inWindow++;
                    if (!r.done || !r.ok) {
                        errors++;
                    } else if (WEBHOOK_TYPE.containsKey(r.step) && !arrivals.containsKey(key(r))) {
                        missing++;
                    }
                }
            }
            windows.add(new Window(
                    w,
                    inWindow,
                    latency.get(w),
                    response.get(w),
                    errors,
                    missing,
                    ProcessStats.coresUsed(cpu.get(w), cpu.get(w + 1), WINDOW_SECONDS)));
        }
        List<Long> p99s = windows.stream()
                .map(w -> w.webhookLatency().getValueAtPercentile(99))
                .toList();
        int settled = Windows.settledAtStop(p99s, STEADY_RUN);
        return new Result(rate, WINDOW_SECONDS, readyToLoad, windows, settled, first, steps);
    }
}
