package org.tandem.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time and resident memory of processes, read from Linux's /proc: enough to say which process was busy
 * while a rate was offered, and how much memory each service holds.
 */
public final class ProcessStats {

    /** Clock ticks per second of /proc/[pid]/stat; 100 on every Linux this runs on. */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {}

    /** CPU seconds (user + system) the process has used, or -1 when it is gone. */
    public static double cpuSeconds(long pid) {
        try {
            return cpuSeconds(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** User + system CPU seconds of a process's or a thread's {@code stat} file. */
    private static double cpuSeconds(Path stat) throws IOException {
        String line = Files.readString(stat);
        // the command name may hold spaces; the fields after it are fixed
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    /**
     * CPU seconds (user + system) of a JVM's JIT compiler threads now ({@code C1 CompilerThread*} and
     * {@code C2 CompilerThread*}, which Linux names by their first 15 characters), or -1 when the process is gone.
     * A compiler thread that ended took its CPU along, so a difference of two readings can only be too small.
     */
    public static double jitCpuSeconds(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (var threads = Files.list(tasks)) {
            return threads.mapToDouble(t -> {
                        try {
                            String name = Files.readString(t.resolve("comm")).strip();
                            if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                                return 0;
                            }
                            return cpuSeconds(t.resolve("stat"));
                        } catch (IOException | RuntimeException e) {
                            return 0; // the thread ended between the listing and the read
                        }
                    })
                    .sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size in MiB, or -1 when the process is gone. */
    public static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * CPU seconds of each named process now, with its descendants' (PostgreSQL works in backend processes
     * below the postmaster, which itself may run below a launcher); not for this JVM, whose children may be
     * the stack, nor for a descendant that is itself named.
     */
    public static Map<String, Double> cpu(Map<String, Long> pids) {
        Map<String, Double> out = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        pids.forEach((name, pid) -> {
            double own = cpuSeconds(pid);
            if (own >= 0 && pid != self) {
                own += ProcessHandle.of(pid).stream()
                        .flatMap(ProcessHandle::descendants)
                        .mapToLong(ProcessHandle::pid)
                        .filter(d -> !pids.containsValue(d))
                        .mapToDouble(ProcessStats::cpuSeconds)
                        .filter(c -> c > 0)
                        .sum();
            }
            out.put(name, own);
        });
        return out;
    }

    /** Share of one core each process used between two {@link #cpu} readings {@code seconds} apart. */
    public static Map<String, Double> coresUsed(Map<String, Double> before, Map<String, Double> after, double seconds) {
        Map<String, Double> out = new LinkedHashMap<>();
        before.forEach((name, b) -> {
            Double a = after.get(name);
            if (a != null && a >= 0 && b >= 0) {
                out.put(name, Math.max(0, a - b) / seconds); // a descendant that ended takes its CPU along
            }
        });
        return out;
    }

    /**
     * The cores of {@link #coresUsed} as one line for the progress output, two decimals each, as in the report.
     * (Printing the map itself wrote a small share such as 0.00049 as {@code 4.9E-4}, which read as five cores.)
     */
    public static String format(Map<String, Double> coresUsed) {
        StringBuilder out = new StringBuilder();
        coresUsed.forEach((name, cores) -> {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(name).append(' ').append(String.format(Locale.ROOT, "%.2f", cores));
        });
        return out.toString();
    }
}
