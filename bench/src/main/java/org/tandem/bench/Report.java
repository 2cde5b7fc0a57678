package org.tandem.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Writes a benchmark's figures as Markdown and its latency plot as PNG. */
public final class Report {

    /** What one service measured at start: seconds from its process's start to ready, and resident memory. */
    /**
     * A service's start-up, from its process's start to its first ready answer: with the whole stack starting side by
     * side, and restarted alone after the load (negative: not measured); and its resident memory.
     */
    public record ServiceFigures(
            String name, double startSeconds, double aloneSeconds, double rssAfterStartMiB, double rssAfterLoadMiB) {}

    private Report() {}

    static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    static String line(String name, Histogram h) {
        return "| " + name + " | " + h.getTotalCount() + " | " + ms(h.getValueAtPercentile(50)) + " | "
                + ms(h.getValueAtPercentile(99)) + " | " + ms(h.getMaxValue()) + " |";
    }

    /** The floor a webhook cannot beat: one Kafka hop, one commit (the delivery row), one HTTP round trip. */
    static long floorAt(Map<String, Histogram> floor, double percentile) {
        return floor.values().stream()
                .mapToLong(h -> h.getValueAtPercentile(percentile))
                .sum();
    }

    public static void write(
            Path dir,
            String machine,
            String command,
            Map<String, Histogram> floor,
            List<LatencyRun.Result> results,
            Integer highestSustained,
            List<ServiceFigures> services,
            Map<String, MemoryBreakdown> memoryAfterLoad,
            SearchReport.Section search,
            WarmupCurve.Result curve)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder md = new StringBuilder();
        md.append("# Tandem benchmark results\n\n");
        md.append("Taken ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(" on ")
                .append(machine)
                .append(".\n\nReproduce with `")
                .append(command)
                .append("`.\n\n");
        md.append(
                "## Physical floor (milliseconds)\n\nMeasured after the infrastructure started and before the services"
                        + " did, on an otherwise idle machine, each hop warmed first (docs/performance.md).\n\n"
                        + "| hop | samples | p50 | p99 | max |\n|---|---|---|---|---|\n");
        md.append(line("Kafka produce → consume, acks=all", floor.get("kafka"))).append('\n');
        md.append(line("PostgreSQL single-row commit", floor.get("postgres"))).append('\n');
        md.append(line("HTTP round trip on loopback", floor.get("http"))).append('\n');
        long floor50 = floorAt(floor, 50);
        long floor99 = floorAt(floor, 99);
        md.append("\nSum of the three (the floor for committed change → webhook): p50 ")
                .append(ms(floor50))
                .append(" ms, p99 ")
                .append(ms(floor99))
                .append(" ms.\n\n");
        if (curve != null) {
            md.append(warmup(curve, "warmup.png", "## "));
            plotWarmup(dir.resolve("warmup.png"), curve);
        }
        md.append("## Committed state change → signed webhook received (milliseconds, open loop)\n\n");
        if (curve != null) {
            md.append(
                    curve.settledFrom() >= 0
                            ? "These rates ran after the warm-up curve above had settled, so their order does not change them"
                                    + " (the second pass of one rate, after the climb, shows how far that holds).\n\n"
                            : "The warm-up curve above did not settle, so these rates may still include a cold period.\n\n");
        }
        md.append(rates(results, floor50, floor99));
        md.append("\nHighest offered rate with p99 under 100 ms, no errors and no missing webhook: ")
                .append(
                        highestSustained != null
                                ? highestSustained + " transitions per second"
                                : results.isEmpty() ? "not measured in this run" : "none of the rates tried")
                .append(".\n\n");
        md.append("### Where the time goes: cores used per process while each rate was offered\n\n");
        md.append(cores(
                results.stream().map(LatencyRun.Result::offeredRate).toList(),
                results.stream().map(LatencyRun.Result::coresUsed).toList()));
        md.append('\n').append(cpuPerTransition(results));
        md.append(probes(results));
        md.append(SearchReport.markdown(search));
        md.append(services(services));
        md.append(MemoryBreakdown.markdown(memoryAfterLoad));
        md.append("\n![latency against offered rate](latency.png)\n");
        Files.writeString(dir.resolve("results.md"), md.toString());
        plot(dir.resolve("latency.png"), results, floor50);
        SearchReport.plot(dir.resolve("search.png"), search);
    }

    /**
     * The warm-up curve as Markdown: when it settled, the first requests after ready, and a row per 10-s window
     * with p50, p99 and the cores of each process; {@code heading} is the section's Markdown level.
     */
    static String warmup(WarmupCurve.Result c, String png, String heading) {
        StringBuilder md = new StringBuilder();
        md.append(heading)
                .append(String.format(
                        Locale.ROOT,
                        "Warm-up: %d requests/s from ready, in %d-s windows%n%n",
                        c.rate(),
                        c.windowSeconds()));
        md.append(String.format(
                Locale.ROOT,
                "Each referral is created, submitted, acknowledged and accepted inside the curve (nothing is prepared"
                        + " before it); the first request went %.1f s after the services were ready. Latency is a"
                        + " transition's committed answer → its signed webhook, by the window the transition was due in.%n%n",
                c.secondsReadyToLoad()));
        md.append(
                c.settledFrom() >= 0
                        ? String.format(
                                Locale.ROOT,
                                "**Settled %.0f s after ready** (from window %d on, every window's p99 is within 1.5× or 10 ms of the steady p99, the median of the last three windows judged; the last window ran while the curve was being judged and is shown, not judged).%n%n",
                                c.settledAfterSeconds(),
                                c.settledFrom() + 1)
                        : String.format(
                                Locale.ROOT,
                                "**Did not settle** within %d windows (%d s).%n%n",
                                c.windows().size(),
                                c.windows().size() * c.windowSeconds()));
        int cpuFrom = Windows.coresSteadyFrom(c.windows().stream()
                .map(w -> WarmupCurve.servicesCores(w.coresUsed()))
                .toList());
        md.append(
                cpuFrom >= 0
                        ? String.format(
                                Locale.ROOT,
                                "The services' CPU was steady from window %d on (%.0f s after ready): each window's cores"
                                        + " of the services within 1.15× or 0.03 cores of the median of the last three,"
                                        + " and those three no more than 10%% below the three before them. The curve"
                                        + " runs until both its latency and the services' CPU are steady, since"
                                        + " the JIT compilers go on working, and the same load costs less, after the"
                                        + " latency has settled.%n%n",
                                cpuFrom + 1,
                                c.secondsReadyToLoad() + cpuFrom * (double) c.windowSeconds())
                        : "The services' CPU per window was not steady when the curve ended (its last three windows"
                                + " apart by more than 1.15× or 0.03 cores, or more than 10% below the three before"
                                + " them).\n\n");
        Histogram first = c.firstRequests();
        md.append(String.format(
                Locale.ROOT,
                "First %d requests after ready (response time from when each was due, ms): p50 %s, p99 %s, max %s.%n%n",
                first.getTotalCount(),
                ms(first.getValueAtPercentile(50)),
                ms(first.getValueAtPercentile(99)),
                ms(first.getMaxValue())));
        // every process of any window: one started during the curve (a scale-out) has columns from then on
        List<String> names = c.windows().stream()
                .flatMap(w -> w.coresUsed().keySet().stream())
                .distinct()
                .toList();
        md.append("| window | from ready (s) | requests | p50 | p99 | response p99 | errors | missing | cores: ")
                .append(String.join(" | ", names))
                .append(" |\n|---|---|---|---|---|---|---|---|");
        names.forEach(n -> md.append("---|"));
        md.append('\n');
        for (WarmupCurve.Window w : c.windows()) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %.0f | %d | %s | %s | %s | %d | %d |",
                    w.index() + 1,
                    c.secondsReadyToLoad() + w.index() * (double) c.windowSeconds(),
                    w.requests(),
                    ms(w.webhookLatency().getValueAtPercentile(50)),
                    ms(w.webhookLatency().getValueAtPercentile(99)),
                    ms(w.responseTime().getValueAtPercentile(99)),
                    w.errors(),
                    w.missing()));
            for (String n : names) {
                Double cores = w.coresUsed().get(n);
                md.append(cores == null ? " - |" : String.format(Locale.ROOT, " %.2f |", cores));
            }
            md.append('\n');
        }
        md.append("\n![warm-up curve](").append(png).append(")\n\n");
        return md.toString();
    }

    /** The curve's p50 and p99 against seconds after ready, as PNG. */
    static void plotWarmup(Path png, WarmupCurve.Result c) throws IOException {
        XYSeries p50 = new XYSeries("p50");
        XYSeries p99 = new XYSeries("p99");
        XYSeries response = new XYSeries("response p99");
        for (WarmupCurve.Window w : c.windows()) {
            double x = c.secondsReadyToLoad() + (w.index() + 0.5) * c.windowSeconds();
            if (w.webhookLatency().getTotalCount() > 0) {
                p50.add(x, Math.max(0.01, w.webhookLatency().getValueAtPercentile(50) / 1000.0));
                p99.add(x, Math.max(0.01, w.webhookLatency().getValueAtPercentile(99) / 1000.0));
            }
            if (w.responseTime().getTotalCount() > 0) {
                response.add(x, Math.max(0.01, w.responseTime().getValueAtPercentile(99) / 1000.0));
            }
        }
        chart(
                png,
                "Warm-up at " + c.rate() + "/s: committed change → webhook, per 10-s window",
                "seconds after the services were ready",
                p50,
                p99,
                response);
    }

    /** The services' start-up (all at once, and restarted alone) and resident memory, as a Markdown section. */
    static String services(List<ServiceFigures> services) {
        StringBuilder md = new StringBuilder();
        md.append(
                "\n## Services\n\nStart-up is from each process's start to its first ready answer (readiness includes the"
                        + " warm-up check: docs/operations.md, \"Readiness\"): with the whole stack starting side by side,"
                        + " four JVMs sharing the cores, and with the service restarted alone after the load, as a rolling"
                        + " deploy or a crash restarts one.\n\n"
                        + "| service | start-up to ready, all at once (s) | restarted alone (s) | resident after start (MiB) |"
                        + " resident after load (MiB) |\n|---|---|---|---|---|\n");
        for (ServiceFigures s : services) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %.2f | %s | %.0f | %.0f |%n",
                    s.name(),
                    s.startSeconds(),
                    s.aloneSeconds() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", s.aloneSeconds()),
                    s.rssAfterStartMiB(),
                    s.rssAfterLoadMiB()));
        }
        return md.toString();
    }

    /**
     * Milliseconds of CPU per transition (each process's cores over the achieved rate), a row per rate, with
     * the sum of all processes but the load generator: the figure #18's targets are set in.
     */
    static String cpuPerTransition(List<LatencyRun.Result> results) {
        if (results.isEmpty()) {
            return "";
        }
        List<String> names = stack(results.get(0).coresUsed());
        StringBuilder md = new StringBuilder("### CPU per transition (ms), each process and all of Tandem's stack\n\n");
        md.append("| offered /s | ").append(String.join(" | ", names)).append(" | all |\n|---|");
        names.forEach(n -> md.append("---|"));
        md.append("---|\n");
        for (LatencyRun.Result r : results) {
            md.append("| ").append(r.offeredRate());
            cpuCells(md, r, names, Map.of());
        }
        return md.toString();
    }

    /** The processes of Tandem's stack among {@code cores}' keys: all but the load generator's. */
    private static List<String> stack(Map<String, Double> cores) {
        return cores.keySet().stream().filter(n -> !n.startsWith("bench")).toList();
    }

    /**
     * Appends, for each of {@code names}, the ms of CPU per transition of {@code r} above {@code less} (cores, each
     * process's), and their sum, ending the table's row.
     */
    private static void cpuCells(StringBuilder md, LatencyRun.Result r, List<String> names, Map<String, Double> less) {
        double perSecond = Math.max(r.achievedRate(), 1e-9);
        double all = 0;
        for (String n : names) {
            double ms = (r.coresUsed().getOrDefault(n, 0.0) - less.getOrDefault(n, 0.0)) * 1000 / perSecond;
            all += ms;
            md.append(String.format(Locale.ROOT, " | %.2f", ms));
        }
        md.append(String.format(Locale.ROOT, " | %.2f |%n", all));
    }

    /**
     * The steady rates' table. A webhook that arrived before the load generator had read its transition's answer (the
     * answer took longer than the whole way of the event) counts as 0 ms, and the column "webhook before answer" says
     * how many did: with more than half of them, the p50 is 0.
     */
    static String rates(List<LatencyRun.Result> results, long floor50, long floor99) {
        StringBuilder md = new StringBuilder(
                "| offered /s | achieved /s | transitions | p50 | p99 | max | p50 ÷ floor | p99 ÷ floor | errors | missing"
                        + " | webhook before answer | response p99 |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (LatencyRun.Result r : results) {
            Histogram h = r.webhookLatency();
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %.1f | %d | %s | %s | %s | %.1f | %.1f | %d | %d | %d | %s |%n",
                    r.offeredRate(),
                    r.achievedRate(),
                    r.transitions(),
                    ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(99)),
                    ms(h.getMaxValue()),
                    h.getValueAtPercentile(50) / (double) Math.max(1, floor50),
                    h.getValueAtPercentile(99) / (double) Math.max(1, floor99),
                    r.errors(),
                    r.missing(),
                    r.webhookBeforeResponse(),
                    ms(r.responseTime().getValueAtPercentile(99))));
        }
        if (results.stream().anyMatch(r -> r.webhookBeforeResponse() > 0)) {
            md.append(
                    "\nThe latency runs from the moment the load generator read a transition's answer to its webhook's"
                            + " arrival. A webhook that arrived before that (its answer was slower than the event's whole way)"
                            + " counts as 0 ms; \"webhook before answer\" says how many, and where it is more than half, the p50"
                            + " is 0. The response p99 is then the figure to read.\n");
        }
        return md.toString();
    }

    /**
     * One rate offered twice, first in the climb and again after it, side by side: latency and each process's CPU per
     * transition. The second pass runs on services that have run every rate of the climb, so the difference is what
     * they still compiled and learned after the curve settled.
     */
    static String again(LatencyRun.Result first, LatencyRun.Result again) {
        List<String> names = stack(first.coresUsed());
        StringBuilder md = new StringBuilder(String.format(
                Locale.ROOT,
                "### %d/s again, after the climb%n%nThe same rate offered once more after the highest rate above, on"
                        + " services that have now run every rate; the first pass is its row in the tables above."
                        + " Latency in ms, CPU in ms per transition.%n%n",
                first.offeredRate()));
        md.append("| pass | p50 | p99 | max | errors | missing | webhook before answer | response p99 | ")
                .append(String.join(" | ", names))
                .append(" | all |\n|---|---|---|---|---|---|---|---|");
        names.forEach(n -> md.append("---|"));
        md.append("---|\n");
        for (LatencyRun.Result r : List.of(first, again)) {
            Histogram h = r.webhookLatency();
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %d | %d | %d | %s",
                    r == first ? "first, in the climb" : "again, after it",
                    ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(99)),
                    ms(h.getMaxValue()),
                    r.errors(),
                    r.missing(),
                    r.webhookBeforeResponse(),
                    ms(r.responseTime().getValueAtPercentile(99))));
            cpuCells(md, r, names, Map.of());
        }
        return md.append('\n').toString();
    }

    /**
     * What the stack spends with nothing offered (each process's cores while the benchmark offered no load, after
     * the rates), and each rate's CPU per transition above that: how much of the figure above is the work of a
     * transition and how much runs whatever the load (polls, timers, heartbeats, the JIT compilers still at work).
     */
    static String idle(Map<String, Double> idleCores, double seconds, List<LatencyRun.Result> results) {
        if (idleCores.isEmpty() || results.isEmpty()) {
            return "";
        }
        List<String> names = stack(idleCores);
        StringBuilder md = new StringBuilder(String.format(
                Locale.ROOT,
                "### With nothing offered, and each transition above that%n%nAfter the rates, %.0f s without load:"
                        + " the cores each process used (first row), and each rate's CPU per transition above it"
                        + " (ms; its cores less these, over the achieved rate).%n%n",
                seconds));
        md.append("| | ").append(String.join(" | ", names)).append(" | all |\n|---|");
        names.forEach(n -> md.append("---|"));
        md.append("---|\n| idle, cores");
        double allIdle = 0;
        for (String n : names) {
            allIdle += idleCores.get(n);
            md.append(String.format(Locale.ROOT, " | %.3f", idleCores.get(n)));
        }
        md.append(String.format(Locale.ROOT, " | %.3f |%n", allIdle));
        for (LatencyRun.Result r : results) {
            md.append("| ").append(r.offeredRate()).append("/s, ms above idle");
            cpuCells(md, r, names, idleCores);
        }
        return md.append('\n').toString();
    }

    /**
     * The health probes sent while each rate was offered ({@link Probes}): per service, the p99 and the longest
     * time to answer of {@code /q/health/live} and {@code /q/health/ready}, and how many failed (no 200 within the
     * probe's timeout in deploy/kubernetes: 5 s for liveness, one second for readiness), with the longest run of
     * failures in a row in brackets.
     */
    static String probes(List<LatencyRun.Result> results) {
        if (results.stream().allMatch(r -> r.probes().isEmpty())) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n### Health probes while each rate was offered\n\n");
        md.append("Once a second to each service, each with its timeout in deploy/kubernetes: live 5 s (six misses")
                .append(" in a row, 10 s apart, restart a pod), ready 1 s, the kubelet's default (three misses in a")
                .append(" row, 5 s apart, take it out of its Service). Failed means no 200 within it, (n) the most in")
                .append(" a row, a second apart here. Times in ms.\n\n");
        md.append(
                        "| offered /s | service | live p99 | live max | live failed | ready p99 | ready max | ready failed |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (LatencyRun.Result r : results) {
            java.util.Set<String> services = new java.util.TreeSet<>();
            r.probes().keySet().forEach(k -> services.add(k.substring(0, k.indexOf(' '))));
            for (String service : services) {
                md.append("| ").append(r.offeredRate()).append(" | ").append(service);
                for (String kind : Probes.KINDS) {
                    Probes.Figures f = r.probes().get(service + " " + kind);
                    if (f == null || f.sent() == 0) {
                        md.append(" | – | – | –");
                        continue;
                    }
                    md.append(" | ")
                            .append(ms(f.time().getValueAtPercentile(99)))
                            .append(" | ")
                            .append(ms(f.time().getMaxValue()))
                            .append(String.format(
                                    Locale.ROOT, " | %d of %d (%d)", f.failed(), f.sent(), f.failedInARow()));
                }
                md.append(" |\n");
            }
        }
        return md.toString();
    }

    /** A table of the cores each process used, a row per offered rate; empty without rates. */
    static String cores(List<Integer> rates, List<Map<String, Double>> coresUsed) {
        StringBuilder md = new StringBuilder();
        if (rates.isEmpty()) {
            return "";
        }
        List<String> names = List.copyOf(coresUsed.get(0).keySet());
        md.append("| offered /s | ").append(String.join(" | ", names)).append(" |\n|---|");
        names.forEach(n -> md.append("---|"));
        md.append('\n');
        for (int i = 0; i < rates.size(); i++) {
            md.append("| ").append(rates.get(i));
            for (String n : names) {
                md.append(String.format(Locale.ROOT, " | %.2f", coresUsed.get(i).getOrDefault(n, 0.0)));
            }
            md.append(" |\n");
        }
        return md.toString();
    }

    static void plot(Path png, List<LatencyRun.Result> results, long floor50) throws IOException {
        XYSeries p50 = new XYSeries("p50");
        XYSeries p99 = new XYSeries("p99");
        XYSeries max = new XYSeries("max");
        XYSeries floor = new XYSeries("physical floor p50");
        for (LatencyRun.Result r : results) {
            Histogram h = r.webhookLatency();
            if (h.getTotalCount() == 0) {
                continue;
            }
            p50.add(r.offeredRate(), Math.max(0.01, h.getValueAtPercentile(50) / 1000.0));
            p99.add(r.offeredRate(), Math.max(0.01, h.getValueAtPercentile(99) / 1000.0));
            max.add(r.offeredRate(), Math.max(0.01, h.getMaxValue() / 1000.0));
            floor.add(r.offeredRate(), Math.max(0.01, floor50 / 1000.0));
        }
        chart(png, "Committed change → webhook received", "offered transitions per second", p50, p99, max, floor);
    }

    /** A line chart of latency series (milliseconds, log scale) against an offered rate, as PNG. */
    static void chart(Path png, String title, String rateLabel, XYSeries... series) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) {
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                title, rateLabel, "milliseconds (log scale)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRangeAxis(new LogAxis("milliseconds (log scale)"));
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 540);
    }
}
