package org.tandem.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.tandem.bench.faults.InstanceWork;
import org.tandem.devstack.Endpoints;
import org.tandem.devstack.Services;
import org.tandem.devstack.StackConfig;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RunningServices;

/**
 * The scale-out under load (#22 with #17, {@code ./tandem bench --scale-out RATE}): what a pod that the
 * autoscaler adds does to the latency of the whole.
 *
 * <p>The services start with two instances each behind the local round-robin, and the second instance of each
 * is stopped again (SIGTERM), so that one instance serves. The load then runs at {@code RATE} until that
 * instance is warm (a warm-up curve until it settles, not reported), then a second curve at the same rate:
 * after its second window, the second instance of every service starts, side by side, with the start-up
 * cache that the rest of the run uses; the round-robin gives it requests once it says ready, Kafka gives it
 * partitions. The report gives that curve's windows, when the instances started and were ready, and what
 * each instance did: the target is that no 10-s window of the whole has a p99 over 100 ms.
 */
final class ScaleOut {

    /** The target of #22: no window of the whole above this p99, in microseconds. */
    static final long TARGET_P99_MICROS = 100_000;

    /** The window after which the second instances start: two windows of the warm single instance before. */
    static final int ADD_AFTER_WINDOW = 2;

    private ScaleOut() {}

    /** Runs it on {@code base}'s stack and returns the report's section; {@code out} takes the picture. */
    static String run(StackConfig base, Endpoints e, int rate, Path out) throws Exception {
        StackConfig two = base.toBuilder().instances(2).build();
        System.out.println("[bench] scale-out: restarting the services with 2 instances each...");
        Services.start(two, e, RunningServices.repoRoot(), Main.SERVICE_ENV);
        List<Services.Instance> second = new ArrayList<>();
        for (Services.Service s : Services.ALL) {
            List<Services.Instance> instances = Services.instances(two, s);
            if (instances.size() > 1) {
                second.add(instances.get(1));
            }
        }
        for (Services.Instance i : second) {
            stop(two, i);
        }
        System.out.println("[bench] scale-out: one instance of each service serves; warming it at " + rate + "/s");
        Map<String, Long> pids = Collections.synchronizedMap(new LinkedHashMap<>(Main.pids(two)));
        long ready = System.nanoTime();
        TandemApi api = Main.api(e);
        WarmupCurve.Result curve;
        List<InstanceWork.Work> work;
        try (Receiver receiver = new Receiver()) {
            Network network = Network.create(api, KeycloakRealm.get(), receiver);
            WarmupCurve curves = new WarmupCurve(api, network, receiver, pids);
            WarmupCurve.Result warm = curves.run(rate, ready);
            System.out.println("[bench] scale-out: single instances "
                    + (warm.settledFrom() >= 0 ? "settled" : "did not settle") + "; the scale-out curve begins");
            WarmupCurve.Step add = new WarmupCurve.Step(ADD_AFTER_WINDOW, "starting the second instances", () -> {
                // side by side, as an autoscaler adds pods; each start returns once its instance answers ready
                try (var starts = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                    List<java.util.concurrent.Future<?>> started = new ArrayList<>();
                    for (Services.Instance i : second) {
                        started.add(starts.submit(
                                () -> Services.startOne(two, e, RunningServices.repoRoot(), i, Main.SERVICE_ENV)));
                    }
                    for (var f : started) {
                        f.get(); // a start that failed or timed out fails the step, with its reason
                    }
                }
                for (Services.Instance i : second) {
                    pids.put(i.processName(), Services.pid(two, i).orElseThrow());
                }
                return null;
            });
            InstanceWork w = InstanceWork.start(two);
            try {
                // until its windows are steady under the target, so the report shows when the whole was fast again
                curve = curves.run(rate, System.nanoTime(), List.of(add), TARGET_P99_MICROS);
            } finally {
                w.close();
            }
            work = w.work();
        }
        String png = "scale-out.png";
        Report.plotWarmup(out.resolve(png), curve);
        return markdown(curve, work, png);
    }

    /** SIGTERM, as a scale-in does, and the wait for the process to end. */
    private static void stop(StackConfig cfg, Services.Instance i) throws Exception {
        long pid = Services.pid(cfg, i).orElseThrow(() -> new IllegalStateException(i + " is not running"));
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
        h.destroy();
        try {
            h.onExit().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException ex) {
            h.destroyForcibly();
            h.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    /** When the whole was back under the target after the second instances began to start, or that it was not. */
    static String backUnder(WarmupCurve.Result curve) {
        if (curve.steps().isEmpty()) {
            return "";
        }
        double began = curve.steps().getFirst().began();
        int stepWindow = (int) (began / curve.windowSeconds());
        int from = Windows.underFrom(curve.p99s(), stepWindow, TARGET_P99_MICROS);
        if (from < 0) {
            return String.format(
                    Locale.ROOT,
                    "**Not back under %s ms** by the end of the curve, %.0f s after the second instances began to"
                            + " start (the curve stops at %d windows after the start).%n%n",
                    Report.ms(TARGET_P99_MICROS),
                    curve.windows().size() * (double) curve.windowSeconds() - began,
                    WarmupCurve.MAX_WINDOWS);
        }
        double fromSeconds = from * (double) curve.windowSeconds();
        return String.format(
                Locale.ROOT,
                "**Back under %s ms from window %d on**, which began %.0f s after the second instances began to"
                        + " start; every window after it stayed under.%n%n",
                Report.ms(TARGET_P99_MICROS),
                from + 1,
                Math.max(0, fromSeconds - began));
    }

    static String markdown(WarmupCurve.Result curve, List<InstanceWork.Work> work, String png) {
        StringBuilder md = new StringBuilder("\n## Scale-out under load (#22, #17)\n\n");
        md.append(String.format(
                Locale.ROOT,
                "One instance of each service served %d requests/s until it was warm; then, at the end of window %d"
                        + " of the curve below, the second instance of every service started side by side (the"
                        + " round-robin sends it requests once it is ready, Kafka gives it partitions).%n%n",
                curve.rate(),
                ADD_AFTER_WINDOW));
        for (WarmupCurve.StepTimes t : curve.steps()) {
            md.append(String.format(
                    Locale.ROOT,
                    "- %s: from %.1f s to %.1f s after the curve's first request%s%n",
                    t.name(),
                    t.began(),
                    t.ended(),
                    t.failure() == null ? " (every second instance ready)" : ", **failed**: " + t.failure()));
        }
        long worst = curve.worstP99();
        md.append(String.format(
                Locale.ROOT,
                "%n**Highest window p99 of the whole: %s ms**, against the target of at most %s ms in every window:"
                        + " %s.%n%n",
                Report.ms(worst),
                Report.ms(TARGET_P99_MICROS),
                worst <= TARGET_P99_MICROS ? "met" : "not met"));
        md.append(backUnder(curve));
        md.append(
                "What each instance did during the curve (CPU from /proc, requests and webhook attempts from its"
                        + " own /q/metrics):\n\n| instance | CPU (s) | HTTP requests | webhook attempts |\n|---|---|---|---|\n");
        for (InstanceWork.Work w : work) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %d | %d |%n",
                    w.instance(),
                    w.cpuSeconds(),
                    w.httpRequests(),
                    w.webhookAttempts()));
        }
        md.append('\n');
        md.append(Report.warmup(curve, png, "### The scale-out curve: "));
        return md.toString();
    }
}
