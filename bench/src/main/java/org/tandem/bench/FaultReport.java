package org.tandem.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.tandem.bench.faults.Checker;
import org.tandem.bench.faults.FaultRun;
import org.tandem.bench.faults.History;

/** The text a fault run prints and keeps: what struck when, what the clients saw, and the checker's verdict. */
public final class FaultReport {

    private FaultReport() {}

    public static boolean passed(FaultRun.RunResult r) {
        return r.violations().isEmpty() && r.faultLog().stream().noneMatch(l -> l.contains("FAILED TO INJECT"));
    }

    public static String text(FaultRun.Scenario scenario, FaultRun.RunResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Fault run: ").append(scenario.name()).append("\n\n");
        sb.append("Load: ")
                .append(scenario.referralsPerSecond())
                .append(" new referrals per second for ")
                .append(scenario.load().toSeconds())
                .append(" s (each: create, submit, acknowledge, accept); ")
                .append(r.flows())
                .append(" referrals started, ")
                .append(r.createsWithoutId())
                .append(" creates never answered.\n\n## Faults\n\n```\n");
        r.faultLog().forEach(l -> sb.append(l).append('\n'));
        sb.append("```\n\n## History\n\n");
        Map<String, Long> outcomes = r.history().operations().stream()
                .collect(Collectors.groupingBy(o -> o.step() + " " + o.outcome(), TreeMap::new, Collectors.counting()));
        outcomes.forEach(
                (k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        long retried =
                r.history().operations().stream().filter(o -> o.attempts() > 1).count();
        sb.append("- operations that needed retries: ").append(retried).append('\n');
        sb.append("- events on the topic: ")
                .append(r.history().published().size())
                .append(" records, ")
                .append(r.history().published().stream()
                        .map(History.Published::eventId)
                        .distinct()
                        .count())
                .append(" distinct\n");
        sb.append("- webhooks received: ")
                .append(r.history().delivered().size())
                .append(", ")
                .append(r.history().delivered().stream()
                        .map(History.Delivered::webhookId)
                        .distinct()
                        .count())
                .append(" distinct\n\n");
        instances(sb, r);
        recoveries(sb, r);
        sb.append("## Verdict\n\n");
        if (r.violations().isEmpty()) {
            sb.append("PASSED: every committed change was published, every published event reached the endpoint, ")
                    .append("nothing happened twice, and every referral's order held.\n");
        } else {
            sb.append("FAILED: ").append(r.violations().size()).append(" violations\n\n");
            r.violations().stream()
                    .limit(50)
                    .map(Checker.Violation::toString)
                    .forEach(v -> sb.append("- ").append(v).append('\n'));
        }
        return sb.toString();
    }

    /** Each instance's share of the work: CPU, HTTP requests served, webhook attempts (over its restarts). */
    static void instances(StringBuilder sb, FaultRun.RunResult r) {
        if (r.instanceWork().isEmpty()) {
            return;
        }
        sb.append("## Instances\n\n")
                .append("| instance | CPU s | HTTP requests served | webhook attempts |\n")
                .append("|---|---:|---:|---:|\n");
        for (var w : r.instanceWork()) {
            sb.append(String.format(
                    java.util.Locale.ROOT,
                    "| %s | %.1f | %d | %d |%n",
                    w.instance(),
                    w.cpuSeconds(),
                    w.httpRequests(),
                    w.webhookAttempts()));
        }
        sb.append("\n(summed over each instance's restarts; CPU includes the JVM's start)\n\n");
    }

    /** After each fault, how long until a 10-s window's p99 was under 100 ms again (#22). */
    static void recoveries(StringBuilder sb, FaultRun.RunResult r) {
        if (r.recoveries().isEmpty()) {
            return;
        }
        sb.append("## Recovery: back at speed after each fault\n\n")
                .append("Seconds from the fault until the end of the first 10-s window (sliding by 1 s) whose p99,")
                .append(" a transition's first attempt → its signed webhook, was under 100 ms.\n\n")
                .append("| fault | at (s) | back under 100 ms after (s) | best window's p99 after it (ms) |\n")
                .append("|---|---:|---:|---:|\n");
        for (FaultRun.Recovery rec : r.recoveries()) {
            sb.append(String.format(
                    java.util.Locale.ROOT,
                    "| %s | %.1f | %s | %s |%n",
                    rec.fault(),
                    rec.atSeconds(),
                    rec.seconds() < 0
                            ? "not before the load ended"
                            : String.format(java.util.Locale.ROOT, "%.0f", rec.seconds()),
                    rec.bestP99Micros() < 0 ? "-" : Report.ms(rec.bestP99Micros())));
        }
        sb.append('\n');
    }

    /** One line per run of a repeated fault run: its verdict, its size and its violations. */
    public static String summary(FaultRun.Scenario scenario, List<FaultRun.RunResult> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Fault run: ")
                .append(scenario.name())
                .append(", ")
                .append(runs.size())
                .append(" runs\n\n");
        sb.append("| run | verdict | referrals | events published | webhooks delivered | violations |\n");
        sb.append("|---|---|---|---|---|---|\n");
        int passed = 0;
        for (int i = 0; i < runs.size(); i++) {
            FaultRun.RunResult r = runs.get(i);
            boolean ok = passed(r);
            passed += ok ? 1 : 0;
            sb.append("| ")
                    .append(i + 1)
                    .append(" | ")
                    .append(ok ? "PASSED" : "FAILED")
                    .append(" | ")
                    .append(r.flows())
                    .append(" | ")
                    .append(r.history().published().size())
                    .append(" | ")
                    .append(r.history().delivered().size())
                    .append(" | ")
                    .append(
                            r.violations().isEmpty()
                                    ? "none"
                                    : r.violations().size() + ": "
                                            + r.violations().get(0)
                                            + (r.violations().size() > 1 ? " …" : ""))
                    .append(" |\n");
        }
        sb.append("| all | ")
                .append(passed == runs.size() ? "PASSED" : "FAILED")
                .append(" | ")
                .append(runs.stream().mapToLong(FaultRun.RunResult::flows).sum())
                .append(" | ")
                .append(runs.stream()
                        .mapToLong(r -> r.history().published().size())
                        .sum())
                .append(" | ")
                .append(runs.stream()
                        .mapToLong(r -> r.history().delivered().size())
                        .sum())
                .append(" | ")
                .append(runs.stream().mapToLong(r -> r.violations().size()).sum())
                .append(" |\n");
        sb.append("\n").append(passed).append(" of ").append(runs.size()).append(" runs passed.\n");
        recoveriesAcrossRuns(sb, runs);
        return sb.toString();
    }

    /**
     * For each fault, over the runs: how long until a 10-s window's p99 was under 100 ms again (#22), the fastest,
     * the median and the slowest, and in how many runs it never was before the load ended.
     */
    static void recoveriesAcrossRuns(StringBuilder sb, List<FaultRun.RunResult> runs) {
        Map<String, List<Double>> byFault = new java.util.LinkedHashMap<>();
        for (FaultRun.RunResult r : runs) {
            for (FaultRun.Recovery rec : r.recoveries()) {
                byFault.computeIfAbsent(rec.fault(), k -> new java.util.ArrayList<>())
                        .add(rec.seconds());
            }
        }
        if (byFault.isEmpty()) {
            return;
        }
        sb.append("\n## Recovery over the runs\n\n")
                .append("Seconds from each fault until a 10-s window's p99 (first attempt → signed webhook) was under")
                .append(" 100 ms again.\n\n")
                .append("| fault | runs | fastest | median | slowest | not before the load ended |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        byFault.forEach((fault, all) -> {
            List<Double> back = all.stream().filter(x -> x >= 0).sorted().toList();
            java.util.function.IntFunction<String> at =
                    i -> back.isEmpty() ? "-" : String.format(java.util.Locale.ROOT, "%.0f", back.get(i));
            sb.append(String.format(
                    java.util.Locale.ROOT,
                    "| %s | %d | %s | %s | %s | %d |%n",
                    fault,
                    all.size(),
                    at.apply(0),
                    at.apply((back.size() - 1) / 2),
                    at.apply(back.size() - 1),
                    all.size() - back.size()));
        });
    }
}
