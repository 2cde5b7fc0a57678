package org.tandem.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

import org.tandem.bench.faults.FaultRun;
import org.tandem.devstack.Endpoints;
import org.tandem.devstack.Infrastructure;
import org.tandem.devstack.JvmCache;
import org.tandem.devstack.Services;
import org.tandem.devstack.StackConfig;
import org.tandem.devstack.TraceSink;
import org.tandem.devstack.UsageText;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RunningServices;
import org.tandem.testing.TestInfrastructure;

/**
 * {@code ./tandem bench} and {@code ./tandem faults}: each starts its own stack (state in
 * {@code .tandem/bench}, ports from 26000), runs, writes its report and stops the stack.
 */
public final class Main {

    /** The usage text, shared with ./tandem's --help (src/main/resources/org/tandem/bench/usage.txt). */
    static final String USAGE = UsageText.of(Main.class);

    /** The services run with a per-organisation rate limit far above what the load offers (see docs/performance.md). */
    static final Map<String, String> SERVICE_ENV = Map.of(
            "TANDEM_RATE_LIMIT_PER_SECOND", "5000",
            "TANDEM_RATE_LIMIT_BURST", "20000");

    private Main() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (UsageText.asked(args)) {
            System.out.print(USAGE);
            System.exit(0);
        }
        if (args.length == 0 || !List.of("bench", "faults").contains(args[0])) {
            System.err.print(USAGE);
            System.exit(2);
        }
        Map<String, String> opt = options(Arrays.copyOfRange(args, 1, args.length));
        Path repo = RunningServices.repoRoot();
        Path stateDir = Path.of(
                opt.getOrDefault("state-dir", repo.resolve(".tandem/bench").toString()));
        int portBase = Integer.parseInt(opt.getOrDefault("port-base", "26000"));
        Path out = Path.of(
                opt.getOrDefault("out", repo.resolve("bench/target/results").toString()));
        int instances = instanceCounts(opt).getFirst();
        StackConfig cfg = StackConfig.builder()
                .stateDir(stateDir)
                .portBase(portBase)
                .fresh(true)
                .instances(instances) // refuses anything outside 1..4
                .build();
        int exit;
        Infrastructure infra = Infrastructure.start(cfg);
        try {
            System.setProperty(
                    TestInfrastructure.ENDPOINTS_VARIABLE, cfg.endpointsFile().toString());
            // #18: the floor on an otherwise idle broker and machine, before any service starts (measured after
            // them, it took the services' first-minute JIT work and polling into its p99)
            Map<String, Histogram> floor = args[0].equals("bench") ? floor(infra.endpoints()) : Map.of();
            Services services = Services.start(cfg, infra.endpoints(), repo, SERVICE_ENV);
            long ready = System.nanoTime();
            exit = args[0].equals("bench")
                    ? bench(cfg, infra.endpoints(), opt, out, args, services, ready, floor)
                    : faults(cfg, infra.endpoints(), repo, opt.containsKey("long"), repeat(opt), out);
        } finally {
            if (!opt.containsKey("keep")) {
                Infrastructure.stop(cfg);
            }
        }
        System.exit(exit);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + "\n" + USAGE);
            }
            String name = a.substring(2);
            if (List.of("long", "keep", "skip-search", "search-only", "profile-warmup")
                    .contains(name)) {
                opt.put(name, "true");
            } else if (i + 1 < args.length) {
                opt.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
            }
        }
        return opt;
    }

    /** {@code --instances N} or, for the benchmark, {@code --instances 1,2}: the counts to run, in order. */
    static List<Integer> instanceCounts(Map<String, String> opt) {
        List<Integer> counts = new ArrayList<>();
        for (String v : opt.getOrDefault("instances", "1").split(",")) {
            int n;
            try {
                n = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > StackConfig.MAX_INSTANCES) {
                throw new IllegalArgumentException("--instances takes numbers 1.." + StackConfig.MAX_INSTANCES
                        + ", not '" + opt.get("instances") + "'\n" + USAGE);
            }
            counts.add(n);
        }
        return counts;
    }

    static TandemApi api(Endpoints e) {
        return new TandemApi(e.serviceUrl("registry"), e.serviceUrl("referral"), e.serviceUrl("notification"));
    }

    static int bench(
            StackConfig cfg,
            Endpoints e,
            Map<String, String> opt,
            Path out,
            String[] args,
            Services services,
            long ready,
            Map<String, Histogram> floor)
            throws Exception {
        List<Integer> rates = opt.containsKey("search-only") && !opt.containsKey("profile")
                ? List.of()
                : rates(opt.getOrDefault("rates", "10,50,100,200"));
        List<Integer> searchRates =
                opt.containsKey("skip-search") ? List.of() : rates(opt.getOrDefault("search-rates", "10,25,50,100"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "20"));
        int curveRate = curveRate(opt);
        Map<String, Long> pids = pids(cfg);
        // from ready, before anything else touches the services: what the JVMs do in their first minutes
        WarmupProfile warmupProfile = opt.containsKey("profile-warmup") && curveRate > 0 && !rates.isEmpty()
                ? WarmupProfile.start(servicePids(pids), out.resolve("warmup-profile"))
                : null;
        Map<String, double[]> memory = new LinkedHashMap<>();
        for (Services.Service s : Services.ALL) {
            memory.put(s.module(), new double[] {ProcessStats.rssMiB(firstPid(pids, s)), 0});
        }
        TandemApi api = api(e);
        List<LatencyRun.Result> results = new ArrayList<>();
        Integer highest = null;
        WarmupCurve.Result curve = null;
        String pgSection = null;
        List<Hops.Window> hopWindows = new ArrayList<>();
        Map<String, Double> idleCores = Map.of();
        String againSection = "";
        if (!rates.isEmpty()) {
            try (Receiver receiver = new Receiver()) {
                Network network = Network.create(api, KeycloakRealm.get(), receiver);
                LatencyRun run = new LatencyRun(api, network, receiver, pids);
                curve = warmUp(api, network, receiver, pids, curveRate, ready, run);
                if (warmupProfile != null) {
                    warmupProfile.stop();
                    System.out.println(
                            "[bench] first minutes profiled: " + out.resolve("warmup-profile/warmup-profile.md"));
                }
                List<Integer> toTry = new ArrayList<>(rates);
                // PostgreSQL's statement statistics around one rate: the first of 100/s or more, else the last
                int statementsRate =
                        rates.stream().filter(r -> r >= 100).findFirst().orElse(rates.getLast());
                PgStatements statements = new PgStatements(e);
                for (int i = 0; i < toTry.size(); i++) {
                    int rate = toTry.get(i);
                    boolean watched = rate == statementsRate && pgSection == null;
                    Hops.Window hopWindow = new Hops.Window(rate + "/s");
                    hopWindows.add(hopWindow);
                    LatencyRun.Result r = run.run(rate, seconds, watched ? hopWindow.and(statements) : hopWindow);
                    if (watched) {
                        pgSection =
                                statements.section(rate, r.transitions(), 15).orElse("");
                    }
                    results.add(r);
                    print(r);
                    if (r.sustained(100_000)) {
                        highest = highest == null ? rate : Math.max(highest, rate);
                        // past the fixed rates, keep climbing until p99 crosses 100 ms
                        if (i == toTry.size() - 1 && rate < 2000) {
                            toTry.add(rate < 400 ? rate + 100 : rate * 3 / 2);
                        }
                    }
                }
                // #18's figures are set at one rate: that rate once more, now that the climb has run the services'
                // code at every rate (the JIT compilers still work minutes after the curve settles; see
                // docs/performance.md), beside its first pass above
                LatencyRun.Result first = results.stream()
                        .filter(r -> r.offeredRate() == statementsRate)
                        .findFirst()
                        .orElseThrow();
                Hops.Window againWindow = new Hops.Window(statementsRate + "/s again");
                hopWindows.add(againWindow);
                System.out.println("[bench] " + statementsRate + "/s again, after the climb:");
                LatencyRun.Result again = run.run(statementsRate, seconds, againWindow);
                print(again);
                againSection = Report.again(first, again);
                idleCores = idle(pids, IDLE_SECONDS);
                if (opt.containsKey("profile")) {
                    profile(run, pids, rates(opt.get("profile")).get(0), seconds, out.resolve("profiles"));
                }
            }
        }
        SearchReport.Section search = searchRates.isEmpty() ? null : search(e, pids, searchRates, seconds);
        Map<String, MemoryBreakdown> memoryParts = new LinkedHashMap<>();
        for (Services.Service s : Services.ALL) {
            memory.get(s.module())[1] = ProcessStats.rssMiB(firstPid(pids, s));
            MemoryBreakdown.of(firstPid(pids, s)).ifPresent(m -> memoryParts.put(s.module(), m));
        }
        Map<Services.Service, Double> alone = restartsAlone(cfg, e, services);
        List<Report.ServiceFigures> figures = new ArrayList<>();
        for (Services.Service s : Services.ALL) {
            figures.add(new Report.ServiceFigures(
                    s.module(),
                    readySeconds(services, s),
                    alone.getOrDefault(s, -1.0),
                    memory.get(s.module())[0],
                    memory.get(s.module())[1]));
        }
        Report.write(
                out,
                machine(),
                "./tandem bench " + String.join(" ", Arrays.copyOfRange(args, 1, args.length)),
                floor,
                results,
                highest,
                figures,
                memoryParts,
                search,
                curve);
        Files.writeString(out.resolve("results.md"), againSection, java.nio.file.StandardOpenOption.APPEND);
        if (!idleCores.isEmpty()) {
            Files.writeString(
                    out.resolve("results.md"),
                    Report.idle(idleCores, IDLE_SECONDS, results),
                    java.nio.file.StandardOpenOption.APPEND);
        }
        if (!hopWindows.isEmpty()) {
            Files.writeString(
                    out.resolve("results.md"), hops(cfg, hopWindows), java.nio.file.StandardOpenOption.APPEND);
        }
        if (pgSection != null && !pgSection.isEmpty()) {
            Files.writeString(out.resolve("results.md"), pgSection, java.nio.file.StandardOpenOption.APPEND);
        }
        List<Integer> counts = instanceCounts(opt);
        if (counts.size() > 1 && !results.isEmpty()) {
            List<ScaleReport.Ladder> ladders = new ArrayList<>();
            ladders.add(new ScaleReport.Ladder(counts.getFirst(), results, highest));
            List<Integer> offered =
                    results.stream().map(LatencyRun.Result::offeredRate).toList();
            for (int n : counts.subList(1, counts.size())) {
                ladders.add(ladder(cfg.toBuilder().instances(n).build(), e, offered, seconds, curveRate, out));
            }
            Files.writeString(
                    out.resolve("results.md"), ScaleReport.markdown(ladders), java.nio.file.StandardOpenOption.APPEND);
        }
        if (opt.containsKey("packagings")) {
            Files.writeString(
                    out.resolve("results.md"),
                    packagings(cfg, e, packagings(opt), Math.max(curveRate, 1), out),
                    java.nio.file.StandardOpenOption.APPEND);
        }
        if (opt.containsKey("scale-out")) {
            Files.writeString(
                    out.resolve("results.md"),
                    ScaleOut.run(cfg, e, scaleOutRate(opt), out),
                    java.nio.file.StandardOpenOption.APPEND);
        }
        System.out.println("[bench] report: " + out.resolve("results.md"));
        return 0;
    }

    /** How long the stack is left without load after the rates, to see what it spends whatever the load. */
    static final int IDLE_SECONDS = 20;

    /** Each process's cores over {@code seconds} in which nothing is offered, after 5 s for the last work to end. */
    static Map<String, Double> idle(Map<String, Long> pids, int seconds) throws InterruptedException {
        System.out.println("[bench] " + seconds + " s without load...");
        Thread.sleep(5_000);
        Map<String, Double> before = ProcessStats.cpu(pids);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        Map<String, Double> idle =
                ProcessStats.coresUsed(before, ProcessStats.cpu(pids), (System.nanoTime() - start) / 1e9);
        System.out.println("[bench] idle: " + ProcessStats.format(idle));
        return idle;
    }

    /**
     * The hops of each rate's webhooks, read from the trace sink's file after the services were restarted (which
     * flushed their last spans); nothing when the stack kept no spans.
     */
    static String hops(StackConfig cfg, List<Hops.Window> windows) throws java.io.IOException {
        Path traces = TraceSink.file(cfg);
        if (!Files.isRegularFile(traces)) {
            System.out.println("[bench] no spans at " + traces + ": no hop table");
            return "";
        }
        return Hops.markdown(Hops.read(traces, windows));
    }

    /** {@code --scale-out RATE}: the rate under which the second instances are added (1 to 2000). */
    static int scaleOutRate(Map<String, String> opt) {
        String v = opt.get("scale-out");
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= 2000) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // the message below
        }
        throw new IllegalArgumentException("--scale-out takes a rate from 1 to 2000, not '" + v + "'\n" + USAGE);
    }

    /** The physical floor ({@link Floor}), measured while only the infrastructure runs. */
    static Map<String, Histogram> floor(Endpoints e) throws Exception {
        System.out.println("[bench] physical floor, before the services start...");
        Map<String, Histogram> floor = new Floor(e).measure(2000);
        floor.forEach((k, h) -> System.out.printf(
                Locale.ROOT,
                "[bench] floor %-8s p50 %.3f ms  p99 %.3f ms%n",
                k,
                h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0));
        return floor;
    }

    /** {@code --packagings none,appcds,aot}: the start-up caches to compare (devstack {@code JvmCache}). */
    static List<JvmCache.Mode> packagings(Map<String, String> opt) {
        List<JvmCache.Mode> modes = new ArrayList<>();
        for (String v : opt.get("packagings").split(",")) {
            try {
                modes.add(JvmCache.Mode.parse(v));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(
                        "--packagings takes none, appcds and aot, not '" + v + "'\n" + USAGE);
            }
        }
        return modes;
    }

    /**
     * The packagings compared (#22): for each, the services restarted with that start-up cache, each service's
     * time from its process start to the moment all were ready, and the warm-up curve from there.
     */
    static String packagings(StackConfig base, Endpoints e, List<JvmCache.Mode> modes, int rate, Path out)
            throws Exception {
        StringBuilder table = new StringBuilder();
        StringBuilder curves = new StringBuilder();
        for (JvmCache.Mode mode : modes) {
            StackConfig cfg = base.toBuilder().jvmCache(mode).build();
            System.out.println("[bench] packaging " + mode.label() + ": restarting the services...");
            Services services = Services.start(cfg, e, RunningServices.repoRoot(), SERVICE_ENV);
            long ready = System.nanoTime();
            Map<String, Long> pids = pids(cfg);
            List<String> startups = new ArrayList<>();
            for (Services.Service s : Services.ALL) {
                startups.add(String.format(Locale.ROOT, "%s %.1f", s.module(), readySeconds(services, s)));
            }
            TandemApi api = api(e);
            WarmupCurve.Result curve;
            try (Receiver receiver = new Receiver()) {
                Network network = Network.create(api, KeycloakRealm.get(), receiver);
                curve = new WarmupCurve(api, network, receiver, pids).run(rate, ready);
            }
            List<String> rss = new ArrayList<>();
            for (Services.Service s : Services.ALL) {
                rss.add(String.format(Locale.ROOT, "%s %.0f", s.module(), ProcessStats.rssMiB(firstPid(pids, s))));
            }
            String png = "warmup-" + mode.label() + ".png";
            Report.plotWarmup(out.resolve(png), curve);
            curves.append(Report.warmup(curve, png, "### Packaging " + mode.label() + ": "));
            WarmupCurve.Window first =
                    curve.windows().isEmpty() ? null : curve.windows().getFirst();
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s |%n",
                    mode.label(),
                    String.join(", ", startups),
                    curve.settledFrom() >= 0
                            ? String.format(Locale.ROOT, "%.0f", curve.settledAfterSeconds())
                            : "not settled",
                    first == null ? "-" : Report.ms(first.webhookLatency().getValueAtPercentile(99)),
                    Report.ms(curve.firstRequests().getValueAtPercentile(99)),
                    String.join(", ", rss)));
        }
        return "\n## Packagings: no cache, AppCDS and the trained AOT cache (#22)\n\n"
                + "Each row restarts the services with that start-up cache (devstack `JvmCache`, `TANDEM_JVM_CACHE`)"
                + " and runs the warm-up curve from their ready. Start-up is from each process's start to its own"
                + " first ready answer, all services starting side by side.\n\n"
                + "| packaging | start → ready (s) | settled after ready (s) | first window p99 (ms) |"
                + " first 100 requests p99 (ms) | resident after the curve (MiB) |\n|---|---|---|---|---|---|\n"
                + table + "\n" + curves;
    }

    /** The services restarted with {@code cfg}'s instances, and the same rates offered to them again. */
    static ScaleReport.Ladder ladder(
            StackConfig cfg, Endpoints e, List<Integer> rates, int seconds, int curveRate, Path out) throws Exception {
        System.out.println("[bench] restarting the services with " + cfg.instances() + " instances each...");
        Services.start(cfg, e, RunningServices.repoRoot(), SERVICE_ENV);
        long ready = System.nanoTime();
        TandemApi api = api(e);
        List<LatencyRun.Result> results = new ArrayList<>();
        Integer highest = null;
        try (Receiver receiver = new Receiver()) {
            Network network = Network.create(api, KeycloakRealm.get(), receiver);
            LatencyRun run = new LatencyRun(api, network, receiver, pids(cfg));
            WarmupCurve.Result curve = warmUp(api, network, receiver, pids(cfg), curveRate, ready, run);
            if (curve != null) {
                String png = "warmup-" + cfg.instances() + "-instances.png";
                Report.plotWarmup(out.resolve(png), curve);
                Files.writeString(
                        out.resolve("results.md"),
                        Report.warmup(curve, png, "### " + cfg.instances() + " instances: "),
                        java.nio.file.StandardOpenOption.APPEND);
            }
            for (int rate : rates) {
                LatencyRun.Result r = run.run(rate, seconds);
                results.add(r);
                print(r);
                if (r.sustained(100_000)) {
                    highest = highest == null ? rate : Math.max(highest, rate);
                }
            }
        }
        return new ScaleReport.Ladder(cfg.instances(), results, highest);
    }

    /**
     * The warm-up before the timed rates: the curve at {@code curveRate} from the services' ready until it
     * settles (docs/performance.md, "The warm-up curve"), or with {@code --curve-rate 0} the old unreported
     * 5 s at 20/s, which hides only the first seconds of the cold period.
     */
    static WarmupCurve.Result warmUp(
            TandemApi api,
            Network network,
            Receiver receiver,
            Map<String, Long> pids,
            int curveRate,
            long ready,
            LatencyRun run)
            throws Exception {
        if (curveRate == 0) {
            System.out.println("[bench] warm-up at 20/s for 5 s (not reported)");
            run.run(20, 5);
            return null;
        }
        System.out.println("[bench] warm-up curve at " + curveRate + "/s in 10-s windows, until it settles");
        WarmupCurve.Result curve = new WarmupCurve(api, network, receiver, pids).run(curveRate, ready);
        System.out.println(
                curve.settledFrom() >= 0
                        ? String.format(
                                Locale.ROOT, "[bench] warm-up settled %.0f s after ready", curve.settledAfterSeconds())
                        : "[bench] warm-up did not settle within "
                                + curve.windows().size() + " windows");
        return curve;
    }

    /** {@code --curve-rate N}: the warm-up curve's rate, 50 by default; 0 leaves the curve out. */
    static int curveRate(Map<String, String> opt) {
        String v = opt.getOrDefault("curve-rate", "50");
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0 && n <= 2000) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // the message below
        }
        throw new IllegalArgumentException("--curve-rate takes a number from 0 to 2000, not '" + v + "'\n" + USAGE);
    }

    /** The service's pid, or with several instances its first instance's. */
    static long firstPid(Map<String, Long> pids, Services.Service s) {
        return pids.getOrDefault(s.module(), pids.getOrDefault(s.module() + "-1", -1L));
    }

    static List<Integer> rates(String list) {
        List<Integer> rates = Arrays.stream(list.split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
        if (rates.stream().anyMatch(r -> r < 1 || r > 100_000)) {
            throw new IllegalArgumentException("rates are per second, from 1 to 100000: " + list + "\n" + USAGE);
        }
        return rates;
    }

    /** The registry search phase: seed, check through the API, warm up, then each rate (see {@link SearchRun}). */
    static SearchReport.Section search(Endpoints e, Map<String, Long> pids, List<Integer> rates, int seconds)
            throws Exception {
        SearchRun run = new SearchRun(e, pids);
        System.out.println("[bench] search: seeding " + SearchWorkload.ORGANISATIONS + " organisations...");
        run.seed();
        try {
            return search(run, rates, seconds);
        } finally {
            run.unseed();
        }
    }

    static SearchReport.Section search(SearchRun run, List<Integer> rates, int seconds) throws Exception {
        var caseworker = KeycloakRealm.get().createOrganisation("CY");
        int found = run.countSeededThroughApi(caseworker.caseworkerToken());
        if (found != SearchWorkload.ORGANISATIONS) {
            throw new IllegalStateException("the directory search finds " + found + " of the "
                    + SearchWorkload.ORGANISATIONS + " seeded organisations");
        }
        List<String> nextPages = run.nextPages(caseworker.caseworkerToken());
        System.out.println("[bench] search: warm-up at " + rates.get(0) + "/s for 5 s (not reported)");
        run.run(rates.get(0), 5, caseworker.caseworkerToken(), nextPages, SearchRun.MIX_SEED - 1);
        List<SearchRun.Result> results = new ArrayList<>();
        for (int rate : rates) {
            SearchRun.Result r =
                    run.run(rate, seconds, caseworker.caseworkerToken(), nextPages, SearchRun.MIX_SEED + rate);
            results.add(r);
            Histogram h = r.latency();
            System.out.printf(
                    Locale.ROOT,
                    "[bench] search %4d/s offered (%.1f achieved): %d searches, p50 %.2f ms"
                            + " p99 %.2f ms max %.2f ms, errors %d, cores: %s%n",
                    rate,
                    r.achievedRate(),
                    r.requests(),
                    h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0,
                    h.getMaxValue() / 1000.0,
                    r.errors(),
                    ProcessStats.format(r.coresUsed()));
        }
        return new SearchReport.Section(found, results);
    }

    /**
     * One more run at {@code rate} with a flight recording in each service around it (not in the report's
     * rates): flame graphs and where the CPU goes, into {@code dir} (docs/performance.md).
     */
    static void profile(LatencyRun run, Map<String, Long> pids, int rate, int seconds, Path dir) throws Exception {
        Map<String, Long> services = servicePids(pids);
        System.out.println("[bench] profile: " + rate + "/s for " + seconds + " s with a flight recording in "
                + String.join(", ", services.keySet()));
        var recording = new Object() {
            Profiles profiles;
            List<Profiles.ServiceProfile> result;
        };
        LatencyRun.Result r = run.run(rate, seconds, new LatencyRun.LoadWindow() {
            @Override
            public void opens() throws Exception {
                recording.profiles = Profiles.start(services, dir);
            }

            @Override
            public void closes() throws Exception {
                recording.result = recording.profiles.stop();
            }
        });
        print(r);
        String md = Profiles.markdown(rate, seconds, recording.result) + "\n" + Report.cpuPerTransition(List.of(r));
        Files.writeString(dir.resolve("profile.md"), md);
        System.out.println("[bench] profile: " + dir.resolve("profile.md"));
    }

    /** The pids of the three services (not the web module, not the infrastructure), by module. */
    static Map<String, Long> servicePids(Map<String, Long> pids) {
        Map<String, Long> services = new LinkedHashMap<>();
        for (Services.Service s : Services.ALL) {
            if (Endpoints.SERVICES.contains(s.name()) && pids.containsKey(s.module())) {
                services.put(s.module(), pids.get(s.module()));
            }
        }
        return services;
    }

    static void print(LatencyRun.Result r) {
        Histogram h = r.webhookLatency();
        System.out.printf(
                Locale.ROOT,
                "[bench] %4d/s offered (%.1f achieved): %d transitions, webhook p50 %.2f ms p99 %.2f ms max %.2f ms,"
                        + " errors %d, missing %d, cores: %s%n",
                r.offeredRate(),
                r.achievedRate(),
                r.transitions(),
                h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0,
                r.errors(),
                r.missing(),
                ProcessStats.format(r.coresUsed()));
    }

    /**
     * The fault run, {@code repeat} times on the same stack (new referrals each time): a fault that shows only
     * now and then gets more chances. Each run's report goes to its own file, and a summary lists them all;
     * the exit code says whether every run passed.
     */
    static int faults(StackConfig cfg, Endpoints e, Path repo, boolean longRun, int repeat, Path out) throws Exception {
        TandemApi api = api(e);
        try (Receiver receiver = new Receiver()) {
            Network network = Network.create(api, KeycloakRealm.get(), receiver);
            FaultRun.Controls controls = new FaultRun.Controls(cfg, cfg, e, repo, SERVICE_ENV, receiver);
            FaultRun.Scenario scenario = longRun
                    ? FaultRun.longScenario()
                    : cfg.instances() > 1 ? FaultRun.twoInstanceScenario() : FaultRun.shortScenario();
            Files.createDirectories(out);
            List<FaultRun.RunResult> results = new ArrayList<>();
            for (int i = 1; i <= repeat; i++) {
                System.out.println("[faults] " + scenario.name() + " run " + i + " of " + repeat + ": "
                        + scenario.load() + " of load, " + scenario.faults().size() + " faults");
                FaultRun.RunResult result = new FaultRun(api, network, receiver, controls).run(scenario);
                results.add(result);
                String text = FaultReport.text(scenario, result);
                System.out.println(text);
                String suffix = repeat == 1 ? "" : "-" + i;
                Files.writeString(out.resolve("faults-" + scenario.name() + suffix + ".md"), text);
            }
            if (repeat > 1) {
                String summary = FaultReport.summary(scenario, results);
                System.out.println(summary);
                Files.writeString(out.resolve("faults-" + scenario.name() + "-summary.md"), summary);
            }
            return results.stream().allMatch(FaultReport::passed) ? 0 : 1;
        }
    }

    /** {@code --repeat N}: how often the fault run runs, 1 to {@value #MAX_REPEAT}. */
    static int repeat(Map<String, String> opt) {
        String v = opt.getOrDefault("repeat", "1");
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= MAX_REPEAT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // the message below
        }
        throw new IllegalArgumentException(
                "--repeat takes a number from 1 to " + MAX_REPEAT + ", not '" + v + "'\n" + USAGE);
    }

    static final int MAX_REPEAT = 20;

    static Map<String, Long> pids(StackConfig cfg) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (Infrastructure.Status s : Infrastructure.status(cfg)) {
            if (s.pid() != null) {
                pids.put(s.name(), s.pid());
            }
        }
        pids.put("bench (load + receiver)", ProcessHandle.current().pid());
        return pids;
    }

    /**
     * Each service stopped and started again alone, one after another, once the load is over (as a rolling deploy
     * or a crash restarts one): seconds from its new process's start to its first ready answer. The start-up of
     * the whole stack has four JVMs share the cores; this is one JVM's. Only with one instance of each.
     */
    static Map<Services.Service, Double> restartsAlone(StackConfig cfg, Endpoints e, Services services) {
        Map<Services.Service, Double> alone = new LinkedHashMap<>();
        if (cfg.instances() != 1) {
            return alone;
        }
        for (Services.Service s : Services.ALL) {
            if (!services.started().contains(s)) {
                continue;
            }
            System.out.println("[bench] restarting " + s.module() + " alone...");
            double seconds = Services.restartAlone(cfg, e, RunningServices.repoRoot(), s, SERVICE_ENV)
                            .toMillis()
                    / 1000.0;
            System.out.printf(Locale.ROOT, "[bench] %s ready %.2f s after its process started%n", s.module(), seconds);
            alone.put(s, seconds);
        }
        return alone;
    }

    /**
     * A service's seconds from its process's start to its first ready answer (devstack {@link Services#readyAfter}),
     * not Quarkus's own "started in", which leaves out the JVM's start and the readiness checks; -1 if not started.
     */
    static double readySeconds(Services services, Services.Service s) {
        return services.readyAfter(s).map(d -> d.toMillis() / 1000.0).orElse(-1.0);
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse(cpu);
        } catch (Exception ignored) {
            // not Linux: say so in the report
        }
        String load = "";
        try {
            load = ", load average "
                    + Files.readString(Path.of("/proc/loadavg")).split(" ")[0] + " at the end of the run";
        } catch (Exception ignored) {
            // not Linux
        }
        return String.format(
                Locale.ROOT,
                "%d cores (%s), %.0f GiB memory, Java %s, %s%s",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                totalMemoryGiB(),
                System.getProperty("java.version"),
                System.getProperty("os.name"),
                load);
    }

    static double totalMemoryGiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return 0;
    }
}
