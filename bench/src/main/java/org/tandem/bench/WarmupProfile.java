package org.tandem.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * What the JVMs do in their first minutes besides serving (#22, "Profile the first minute"; {@code ./tandem bench
 * --profile-warmup}): a flight recording in every service from the moment they are all ready until the warm-up
 * curve ends, summarised per 10-s window: the share of the process's CPU that its JIT compiler threads used, the
 * methods compiled and the compilers' time, deoptimisations, classes loaded, GC pauses, time at safepoints and
 * threads blocked on a monitor; and the monitors waited on longest. It answers whether the cold period after ready
 * is the JIT, class loading, the GC or lock contention (docs/performance.md).
 */
public final class WarmupProfile {

    static final String RECORDING = "tandem-warmup";
    static final Duration WINDOW = Duration.ofSeconds(10);

    /** The JIT compiler threads, as HotSpot names them. */
    private static final Pattern COMPILER_THREAD = Pattern.compile("C[12] CompilerThread\\d+");

    /** The recording's settings beyond {@code profile}: safepoints, and monitor waits from 1 ms. */
    static final List<String> SETTINGS = List.of(
            "settings=profile",
            "jdk.SafepointBegin#enabled=true",
            "jdk.JavaMonitorEnter#threshold=1ms",
            "jdk.ThreadCPULoad#period=1s",
            "jdk.CompilerStatistics#period=1s",
            "jdk.ClassLoadingStatistics#period=1s");

    /** One window of one service. Times in milliseconds; {@code jitShare} from 0 to 1, or -1 when unknown. */
    public record Window(
            int index,
            double jitShare,
            long compiles,
            double compileMillis,
            long deoptimisations,
            long classesLoaded,
            double gcPauseMillis,
            double safepointMillis,
            double monitorWaitMillis) {}

    /** One service's summary: its windows and the monitor classes waited on longest over the whole recording. */
    public record Summary(String service, List<Window> windows, Map<String, Double> monitorMillisByClass) {}

    private final Map<String, Long> pids;
    private final Path dir;
    private final Instant origin;

    private WarmupProfile(Map<String, Long> pids, Path dir, Instant origin) {
        this.pids = pids;
        this.dir = dir;
        this.origin = origin;
    }

    /** Starts a recording in every named process; the windows are counted from now. */
    public static WarmupProfile start(Map<String, Long> servicePids, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Instant origin = Instant.now();
        for (var e : servicePids.entrySet()) {
            List<String> command = new ArrayList<>(List.of("JFR.start", "name=" + RECORDING));
            command.addAll(SETTINGS);
            Profiles.jcmd(e.getValue(), command.toArray(String[]::new));
        }
        return new WarmupProfile(servicePids, dir, origin);
    }

    /** Stops the recordings, keeps them in the directory and returns the summary's markdown (also written there). */
    public String stop() throws IOException, InterruptedException {
        List<Summary> summaries = new ArrayList<>();
        for (var e : pids.entrySet()) {
            Path jfr = dir.resolve(e.getKey() + "-warmup.jfr").toAbsolutePath();
            Profiles.jcmd(e.getValue(), "JFR.stop", "name=" + RECORDING, "filename=" + jfr);
            summaries.add(summarise(e.getKey(), jfr, origin));
        }
        String md = markdown(summaries);
        Files.writeString(dir.resolve("warmup-profile.md"), md);
        return md;
    }

    /** Running sums of one window while the recording is read. */
    private static final class Sums {
        double jitLoad;
        double allLoad;
        long compileCount = -1;
        double compileTime = -1;
        long classCount = -1;
        long deoptimisations;
        double gcPause;
        double safepoint;
        double monitor;
    }

    /** One recording, cut into 10-s windows from {@code origin}. */
    static Summary summarise(String service, Path jfr, Instant origin) throws IOException {
        TreeMap<Integer, Sums> windows = new TreeMap<>();
        Map<String, Double> monitors = new HashMap<>();
        // the cumulative counters at the recording's start: the baseline of the first window
        long baseCompiles = -1;
        double baseCompileTime = -1;
        long baseClasses = -1;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent ev = file.readEvent();
                long offset = Duration.between(origin, ev.getStartTime()).toMillis();
                if (offset < 0) {
                    continue;
                }
                Sums w = windows.computeIfAbsent((int) (offset / WINDOW.toMillis()), i -> new Sums());
                switch (ev.getEventType().getName()) {
                    case "jdk.ThreadCPULoad" -> {
                        double load = ev.getFloat("user") + ev.getFloat("system");
                        w.allLoad += load;
                        if (isCompilerThread(ev)) {
                            w.jitLoad += load;
                        }
                    }
                    case "jdk.CompilerStatistics" -> {
                        long count = ev.getLong("compileCount");
                        double time = millis(ev.getDuration("totalTimeSpent"));
                        // the counters only grow: the least value read is the one at the recording's start
                        if (baseCompiles < 0 || count < baseCompiles) {
                            baseCompiles = count;
                            baseCompileTime = time;
                        }
                        w.compileCount = Math.max(w.compileCount, count);
                        w.compileTime = Math.max(w.compileTime, time);
                    }
                    case "jdk.ClassLoadingStatistics" -> {
                        long loaded = ev.getLong("loadedClassCount");
                        if (baseClasses < 0 || loaded < baseClasses) {
                            baseClasses = loaded;
                        }
                        w.classCount = Math.max(w.classCount, loaded);
                    }
                    case "jdk.Deoptimization" -> w.deoptimisations++;
                    case "jdk.GarbageCollection" -> w.gcPause += millis(ev.getDuration("sumOfPauses"));
                    case "jdk.SafepointBegin" -> w.safepoint += millis(ev.getDuration());
                    case "jdk.JavaMonitorEnter" -> {
                        double ms = millis(ev.getDuration());
                        w.monitor += ms;
                        RecordedClass c = ev.getValue("monitorClass");
                        monitors.merge(c == null ? "?" : c.getName(), ms, Double::sum);
                    }
                    default -> {
                        // other events of the profile settings: not summarised here
                    }
                }
            }
        }
        List<Window> out = new ArrayList<>();
        long lastCompiles = baseCompiles;
        double lastCompileTime = baseCompileTime;
        long lastClasses = baseClasses;
        int last = windows.isEmpty() ? -1 : windows.lastKey();
        for (int i = 0; i <= last; i++) {
            Sums s = windows.getOrDefault(i, new Sums());
            long compiles = s.compileCount < 0 ? 0 : s.compileCount - lastCompiles;
            double compileTime = s.compileTime < 0 ? 0 : s.compileTime - lastCompileTime;
            long classes = s.classCount < 0 ? 0 : s.classCount - lastClasses;
            if (s.compileCount >= 0) {
                lastCompiles = s.compileCount;
                lastCompileTime = s.compileTime;
            }
            if (s.classCount >= 0) {
                lastClasses = s.classCount;
            }
            out.add(new Window(
                    i,
                    s.allLoad > 0 ? s.jitLoad / s.allLoad : -1,
                    compiles,
                    compileTime,
                    s.deoptimisations,
                    classes,
                    s.gcPause,
                    s.safepoint,
                    s.monitor));
        }
        Map<String, Double> top = new LinkedHashMap<>();
        monitors.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(5)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return new Summary(service, out, top);
    }

    /** Whether the event's thread is a JIT compiler thread (by its Java name, or its OS name without one). */
    private static boolean isCompilerThread(RecordedEvent ev) {
        if (ev.getThread() == null) {
            return false;
        }
        String name = ev.getThread().getJavaName() != null
                ? ev.getThread().getJavaName()
                : ev.getThread().getOSName();
        return name != null && COMPILER_THREAD.matcher(name).matches();
    }

    private static double millis(Duration d) {
        return d == null ? 0 : d.toNanos() / 1e6;
    }

    static String markdown(List<Summary> summaries) {
        StringBuilder md = new StringBuilder("# The first minutes after ready: what the JVMs did besides serving\n\n");
        md.append("A JDK Flight Recording in each service from the moment all were ready until the warm-up curve ended"
                + " (`--profile-warmup`), cut into 10-s windows from ready. *JIT share*: the compiler threads'"
                + " part of the CPU of the process's Java and compiler threads (jdk.ThreadCPULoad, which leaves the"
                + " GC's own threads out); *compiles* and *compiler time*: methods"
                + " compiled and the compiler threads' time (jdk.CompilerStatistics); *deopts*:"
                + " deoptimisations; *classes*: classes loaded; *GC pauses*, *safepoints* (time at"
                + " safepoints, jdk.SafepointBegin) and *monitor waits* (threads blocked on a monitor for 1 ms or"
                + " more, summed over threads) in milliseconds.\n");
        for (Summary s : summaries) {
            md.append("\n## ").append(s.service()).append("\n\n");
            md.append(
                    "| from ready (s) | JIT share | compiles | compiler time (ms) | deopts | classes | GC pauses (ms) |"
                            + " safepoints (ms) | monitor waits (ms) |\n|---|---|---|---|---|---|---|---|---|\n");
            for (Window w : s.windows()) {
                md.append(String.format(
                        Locale.ROOT,
                        "| %d–%d | %s | %d | %.0f | %d | %d | %.1f | %.1f | %.1f |%n",
                        w.index() * WINDOW.toSeconds(),
                        (w.index() + 1) * WINDOW.toSeconds(),
                        w.jitShare() < 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", w.jitShare() * 100),
                        w.compiles(),
                        w.compileMillis(),
                        w.deoptimisations(),
                        w.classesLoaded(),
                        w.gcPauseMillis(),
                        w.safepointMillis(),
                        w.monitorWaitMillis()));
            }
            if (!s.monitorMillisByClass().isEmpty()) {
                md.append("\nMonitors waited on longest (ms, over the whole recording): ");
                List<String> parts = new ArrayList<>();
                s.monitorMillisByClass().forEach((k, v) -> parts.add(String.format(Locale.ROOT, "`%s` %.1f", k, v)));
                md.append(String.join(", ", parts)).append(".\n");
            }
        }
        return md.toString();
    }
}
