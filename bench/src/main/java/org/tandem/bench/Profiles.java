package org.tandem.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import one.convert.Arguments;

/**
 * CPU and allocation profiles of the running services while one rate is offered ({@code ./tandem bench
 * --profile RATE}): a JDK Flight Recording per service, started and stopped with {@code jcmd} around the load
 * (so start-up is not in it), turned into flame graphs by async-profiler's converter, and summarised as a table
 * of where the samples fall (docs/performance.md).
 */
public final class Profiles {

    static final String RECORDING = "tandem-bench";

    /**
     * JDK 25's CPU-time sampler (Linux): a sample per 5 ms of CPU a thread used, in Java or native code alike.
     * Before 25, jdk.ExecutionSample, which sees only threads running Java code. The services run on the JDK
     * that runs the benchmark (devstack's Processes.javaBinary).
     */
    static final boolean CPU_TIME_SAMPLER = Runtime.version().feature() >= 25;

    /** The converter's options for those samples (without an event option it reads jdk.ExecutionSample). */
    static Arguments cpuArguments(String... more) {
        List<String> args = new ArrayList<>();
        if (CPU_TIME_SAMPLER) {
            args.add("--cpu-time");
        }
        args.addAll(List.of(more));
        return new Arguments(args.toArray(String[]::new));
    }

    /**
     * The parts of a transition or a webhook that docs/performance.md asks about, each as a pattern on a frame.
     * A sample belongs to the part of its innermost frame that matches one (the code that burnt the CPU, not an
     * interceptor around everything), else to "other"; so each column adds up to 100%.
     */
    static final Map<String, Pattern> PARTS = parts();

    private static Map<String, Pattern> parts() {
        Map<String, Pattern> p = new LinkedHashMap<>();
        p.put(
                "token verification (JWT, JOSE)",
                Pattern.compile("io\\.smallrye\\.jwt|org\\.jose4j|com\\.nimbusds|OidcProvider"));
        p.put("rate limiter", Pattern.compile("bucket4j|TokenBuckets"));
        p.put(
                "idempotency (hash, stored answer)",
                Pattern.compile("IdempotencyInterceptor\\.(requestHash|storedBody|canonical)"));
        p.put("audit chain", Pattern.compile("org\\.tandem\\.[a-z.]*AuditLog|AuditChain"));
        p.put("outbox relay", Pattern.compile("org\\.tandem\\.[a-z.]*(Outbox|Relay)"));
        p.put("Hibernate ORM", Pattern.compile("org\\.hibernate"));
        p.put("PostgreSQL JDBC driver", Pattern.compile("org\\.postgresql"));
        p.put("connection pool (Agroal)", Pattern.compile("io\\.agroal"));
        p.put("Kafka clients", Pattern.compile("org\\.apache\\.kafka"));
        p.put("Avro and the schema registry serde", Pattern.compile("org\\.apache\\.avro|io\\.apicurio"));
        p.put("JSON (Jackson)", Pattern.compile("com\\.fasterxml\\.jackson"));
        p.put("regular expressions", Pattern.compile("java\\.util\\.regex"));
        p.put("logging", Pattern.compile("org\\.jboss\\.logmanager|org\\.jboss\\.logging|io\\.quarkus\\.logging"));
        p.put("tracing (OpenTelemetry)", Pattern.compile("io\\.opentelemetry"));
        p.put("TLS", Pattern.compile("sun\\.security\\.ssl|javax\\.net\\.ssl"));
        p.put(
                "HTTP client (webhooks)",
                Pattern.compile(
                        "java\\.net\\.http|jdk\\.internal\\.net\\.http|io\\.vertx\\.core\\.http\\.impl\\.HttpClient"));
        p.put(
                "REST layer (RESTEasy Reactive, Vert.x)",
                Pattern.compile("org\\.jboss\\.resteasy|io\\.quarkus\\.vertx\\.http"));
        p.put("transactions (Narayana)", Pattern.compile("com\\.arjuna|io\\.quarkus\\.narayana"));
        // last: a frame of Tandem's own that none of the above is inside of
        p.put("Tandem's own code", Pattern.compile("org\\.tandem\\."));
        return p;
    }

    /** One service's profile: where its files are and the share of its CPU samples per part. */
    public record ServiceProfile(
            String service,
            long cpuSamples,
            Map<String, Double> shareByPart,
            List<Map.Entry<String, Double>> topSelf,
            Path cpuFlameGraph,
            Path allocFlameGraph) {}

    private final Map<String, Long> pids;
    private final Path dir;

    private Profiles(Map<String, Long> pids, Path dir) {
        this.pids = pids;
        this.dir = dir;
    }

    /** Starts a recording in every named process (the services). */
    public static Profiles start(Map<String, Long> servicePids, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        for (var e : servicePids.entrySet()) {
            // Quarkus's stacks are deeper than JFR's default of 64 frames, which cut them off at the root
            jcmd(e.getValue(), "JFR.configure", "stackdepth=512");
            jcmd(
                    e.getValue(),
                    "JFR.start",
                    "name=" + RECORDING,
                    "settings=profile",
                    CPU_TIME_SAMPLER ? "jdk.CPUTimeSample#enabled=true" : "jdk.ExecutionSample#period=5ms",
                    CPU_TIME_SAMPLER ? "jdk.CPUTimeSample#throttle=5ms" : "jdk.ExecutionSample#enabled=true");
        }
        return new Profiles(servicePids, dir);
    }

    /** Stops the recordings, writes them and their flame graphs, and returns the summaries. */
    public List<ServiceProfile> stop() throws IOException, InterruptedException {
        List<ServiceProfile> out = new ArrayList<>();
        for (var e : pids.entrySet()) {
            String name = e.getKey();
            Path jfr = dir.resolve(name + ".jfr").toAbsolutePath();
            jcmd(e.getValue(), "JFR.stop", "name=" + RECORDING, "filename=" + jfr);
            Path cpuHtml = dir.resolve(name + "-cpu.html");
            Path allocHtml = dir.resolve(name + "-alloc.html");
            Path collapsed = dir.resolve(name + "-cpu.collapsed");
            one.convert.Main.convert(
                    jfr.toString(),
                    cpuHtml.toString(),
                    cpuArguments("--dot", "-o", "html", "--title", name + ": CPU while the benchmark's load ran"));
            one.convert.Main.convert(
                    jfr.toString(),
                    allocHtml.toString(),
                    new Arguments(
                            "--alloc",
                            "--dot",
                            "-o",
                            "html",
                            "--title",
                            name + ": allocations while the benchmark's load ran"));
            one.convert.Main.convert(jfr.toString(), collapsed.toString(), cpuArguments("--dot", "-o", "collapsed"));
            out.add(summarise(name, Files.readAllLines(collapsed), cpuHtml, allocHtml));
            Files.delete(collapsed);
        }
        return out;
    }

    /**
     * Reads collapsed stacks ({@code frame;frame;...;leaf count}, root first) into the share of samples per part
     * and the ten leaf frames with the most samples of their own.
     */
    static ServiceProfile summarise(String service, List<String> collapsed, Path cpuHtml, Path allocHtml) {
        long total = 0;
        Map<String, Long> byPart = new LinkedHashMap<>();
        PARTS.keySet().forEach(k -> byPart.put(k, 0L));
        byPart.put(OTHER, 0L);
        Map<String, Long> self = new LinkedHashMap<>();
        for (String line : collapsed) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            long count;
            try {
                count = Long.parseLong(line.substring(space + 1).trim());
            } catch (NumberFormatException ex) {
                continue;
            }
            String stack = line.substring(0, space);
            total += count;
            byPart.merge(part(stack.split(";")), count, Long::sum);
            String leaf = stack.substring(stack.lastIndexOf(';') + 1);
            self.merge(leaf, count, Long::sum);
        }
        long all = Math.max(1, total);
        Map<String, Double> shares = new LinkedHashMap<>();
        byPart.forEach((k, v) -> shares.put(k, 100.0 * v / all));
        List<Map.Entry<String, Double>> top = self.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(10)
                .map(en -> Map.entry(en.getKey(), 100.0 * en.getValue() / all))
                .toList();
        return new ServiceProfile(service, total, shares, top, cpuHtml, allocHtml);
    }

    static final String OTHER = "other (JDK, Quarkus, CDI, Vert.x, Netty)";

    /** The part of the innermost frame that matches one, from the leaf towards the root. */
    static String part(String[] frames) {
        for (int i = frames.length - 1; i >= 0; i--) {
            for (var p : PARTS.entrySet()) {
                if (p.getValue().matcher(frames[i]).find()) {
                    return p.getKey();
                }
            }
        }
        return OTHER;
    }

    /** The profiles as Markdown: one table of parts (a column per service) and each service's hottest frames. */
    static String markdown(int rate, int seconds, List<ServiceProfile> profiles) {
        StringBuilder md = new StringBuilder();
        md.append("# Where the services' CPU goes\n\n");
        md.append(String.format(
                Locale.ROOT,
                "JDK Flight Recorder (settings `profile` and the CPU-time sampler, a sample per 5 ms of CPU a thread used) while"
                        + " %d transitions per second were offered for %d s; flame graphs by async-profiler's converter."
                        + " A sample belongs to the part of its innermost frame that matches one (the code that used the"
                        + " CPU, not an interceptor around it). JIT compiler and GC threads are not sampled.%n%n",
                rate,
                seconds));
        md.append("| part | ");
        md.append(String.join(
                " | ", profiles.stream().map(ServiceProfile::service).toList()));
        md.append(" |\n|---|");
        profiles.forEach(p -> md.append("---|"));
        md.append("\n| CPU samples");
        profiles.forEach(p -> md.append(" | ").append(p.cpuSamples()));
        md.append(" |\n");
        List<String> rows = new ArrayList<>(PARTS.keySet());
        rows.add(OTHER);
        for (String part : rows) {
            md.append("| ").append(part);
            profiles.forEach(p -> md.append(
                    String.format(Locale.ROOT, " | %.1f%%", p.shareByPart().getOrDefault(part, 0.0))));
            md.append(" |\n");
        }
        for (ServiceProfile p : profiles) {
            md.append("\n## ").append(p.service()).append("\n\n");
            md.append("Flame graphs: [CPU](")
                    .append(p.cpuFlameGraph().getFileName())
                    .append("), [allocations](")
                    .append(p.allocFlameGraph().getFileName())
                    .append(").\n\n| frame with the most samples of its own | share |\n|---|---|\n");
            for (var e : p.topSelf()) {
                md.append(String.format(Locale.ROOT, "| `%s` | %.1f%% |%n", e.getKey(), e.getValue()));
            }
        }
        return md.toString();
    }

    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        List<String> cmd = new ArrayList<>();
        cmd.add(java.resolveSibling("jcmd").toString());
        cmd.add(Long.toString(pid));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || output.contains("Could not")) {
            throw new IOException("jcmd " + String.join(" ", command) + " for pid " + pid + " failed: " + output);
        }
        return output;
    }
}
