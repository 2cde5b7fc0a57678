package org.tandem.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Start-up time and memory of the services for each start-up cache (docs/performance.md, "Start-up: AppCDS and the
 * AOT cache"): {@code java -cp tandem-devstack.jar org.tandem.devstack.StartupTimes <endpoints.properties> <runs>
 * [modes]} starts the three services (and the web application) together, as {@code ./tandem up} does, on
 * infrastructure that runs already, {@code runs} times per mode, and prints a Markdown table. Each figure is from
 * the process's start (its start time in {@code /proc}, not Quarkus's "started in") to its first ready answer, as
 * the launcher itself measures it ({@link Services#readyAfter}), and its resident memory ({@code VmRSS}) once all
 * were ready.
 */
public final class StartupTimes {

    private StartupTimes() {}

    record Sample(String mode, String service, long millis, long rssKib) {}

    public static void main(String[] args) throws Exception {
        Endpoints e = Endpoints.readFrom(Path.of(args[0]));
        int runs = Integer.parseInt(args[1]);
        List<JvmCache.Mode> modes = args.length > 2
                ? java.util.Arrays.stream(args[2].split(","))
                        .map(JvmCache.Mode::parse)
                        .toList()
                : List.of(JvmCache.Mode.NONE, JvmCache.Mode.APPCDS, JvmCache.Mode.AOT);
        Path repo = Path.of("").toAbsolutePath();
        List<Sample> samples = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            for (JvmCache.Mode mode : modes) {
                StackConfig cfg = StackConfig.builder()
                        .stateDir(e.stateDir())
                        .port(Port.REGISTRY, e.registryServicePort())
                        .port(Port.REFERRAL, e.referralServicePort())
                        .port(Port.NOTIFICATION, e.notificationServicePort())
                        .port(Port.SMTP, e.smtpPort())
                        .port(Port.SMTP_API, e.smtpPort() + Port.SMTP_API.offset() - Port.SMTP.offset())
                        .port(Port.WEB, e.registryServicePort() + Port.WEB.offset() - Port.REGISTRY.offset())
                        .port(Port.TRACES, e.registryServicePort() + Port.TRACES.offset() - Port.REGISTRY.offset())
                        .jvmCache(mode)
                        .build();
                Services.stop(cfg);
                Services started = Services.start(cfg, e, repo, Map.of());
                double load = loadAverage();
                for (Services.Service s : Services.ALL) {
                    var readyAfter = started.readyAfter(s);
                    var process = Processes.running(cfg, s.processName());
                    if (readyAfter.isPresent() && process.isPresent()) {
                        Sample x = new Sample(
                                mode.label(),
                                s.module(),
                                readyAfter.get().toMillis(),
                                rssKib(process.get().pid()));
                        samples.add(x);
                        System.out.printf(
                                "run %d %-6s %-21s %6d ms %4d MiB (load %.1f)%n",
                                run, mode.label(), s.module(), x.millis(), x.rssKib() / 1024, load);
                    }
                }
                started.stopAll();
            }
        }
        System.out.println();
        System.out.println(
                "| service | none: ready after (ms) | appcds | aot | none: RSS at ready (MiB) | appcds | aot |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Services.Service s : Services.ALL) {
            Map<JvmCache.Mode, String> t = new LinkedHashMap<>();
            Map<JvmCache.Mode, String> m = new LinkedHashMap<>();
            for (JvmCache.Mode mode : modes) {
                List<Sample> mine = samples.stream()
                        .filter(x -> x.service().equals(s.module()) && x.mode().equals(mode.label()))
                        .toList();
                t.put(mode, median(mine.stream().map(Sample::millis).toList()) + "");
                m.put(mode, median(mine.stream().map(x -> x.rssKib() / 1024).toList()) + "");
            }
            System.out.println("| " + s.module() + " | " + String.join(" | ", t.values()) + " | "
                    + String.join(" | ", m.values()) + " |");
        }
    }

    static long median(List<Long> xs) {
        if (xs.isEmpty()) {
            return -1;
        }
        List<Long> sorted = xs.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException ex) {
            // gone
        }
        return -1;
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException ex) {
            return -1;
        }
    }
}
