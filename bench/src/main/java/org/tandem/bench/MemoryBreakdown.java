package org.tandem.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a service JVM's resident memory is (#18): the mapped class data (the AOT cache or a CDS archive, read
 * from {@code /proc/<pid>/smaps}), the committed heap and metaspace, the compiled code and the classes loaded
 * (the JVM's own counters, {@code jcmd PerfCounter.print}), and its threads. What the parts leave of the
 * resident set is "other": thread stacks, the JIT's and the libraries' native allocations, the JVM's own code.
 * The heap is counted as committed, which may be more than it has touched, so "other" is if anything too low.
 */
record MemoryBreakdown(
        double residentMiB,
        double classDataMiB,
        double heapCommittedMiB,
        double metaspaceMiB,
        double compiledCodeMiB,
        long classesLoaded,
        long classesFromCache,
        int threads) {

    private static final double MIB = 1024.0 * 1024.0;

    /** The resident memory that none of the named parts accounts for. */
    double otherMiB() {
        return residentMiB - classDataMiB - heapCommittedMiB - metaspaceMiB - compiledCodeMiB;
    }

    /** The breakdown of a running JVM, or empty when it is gone or does not answer {@code jcmd}. */
    static Optional<MemoryBreakdown> of(long pid) {
        try {
            Path proc = Path.of("/proc", Long.toString(pid));
            String smaps = Files.readString(proc.resolve("smaps"));
            int threads;
            try (var tasks = Files.list(proc.resolve("task"))) {
                threads = (int) tasks.count();
            }
            String counters = Profiles.jcmd(pid, "PerfCounter.print");
            return Optional.of(from(ProcessStats.rssMiB(pid), smaps, counters(counters), threads));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static MemoryBreakdown from(double residentMiB, String smaps, Map<String, Long> counters, int threads) {
        long heap = counters.getOrDefault("sun.gc.generation.0.capacity", 0L)
                + counters.getOrDefault("sun.gc.generation.1.capacity", 0L);
        long metaspace = counters.getOrDefault("sun.gc.metaspace.capacity", 0L)
                + counters.getOrDefault("sun.gc.compressedclassspace.capacity", 0L);
        long loaded = counters.getOrDefault("java.cls.loadedClasses", 0L);
        long shared = counters.getOrDefault("java.cls.sharedLoadedClasses", 0L);
        return new MemoryBreakdown(
                residentMiB,
                classDataKiB(smaps) / 1024.0,
                heap / MIB,
                metaspace / MIB,
                counters.getOrDefault("sun.ci.nmethodCodeSize", 0L) / MIB,
                loaded + shared,
                shared,
                threads);
    }

    /**
     * The resident KiB of the mappings of class data files: a JDK 24+ AOT cache ({@code .aot}) or a CDS archive
     * ({@code .jsa}, the JDK's own included). A mapping's header line ends with its path; its {@code Rss:} line
     * follows.
     */
    static long classDataKiB(String smaps) {
        long sum = 0;
        boolean classData = false;
        for (String line : smaps.split("\n")) {
            if (isMappingHeader(line)) {
                String path = line.substring(line.lastIndexOf(' ') + 1);
                classData = path.endsWith(".aot") || path.endsWith(".jsa");
            } else if (classData && line.startsWith("Rss:")) {
                sum += Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return sum;
    }

    /** {@code 7f3c0a000000-7f3c0a021000 rw-p ...}: an address range opens each mapping's block. */
    private static boolean isMappingHeader(String line) {
        int dash = line.indexOf('-');
        int space = line.indexOf(' ');
        return dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** The numeric counters of {@code jcmd <pid> PerfCounter.print} ({@code name=value} lines). */
    static Map<String, Long> counters(String output) {
        Map<String, Long> out = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                try {
                    out.put(
                            line.substring(0, eq).trim(),
                            Long.parseLong(line.substring(eq + 1).trim()));
                } catch (NumberFormatException notNumeric) {
                    // strings such as java.property.* and sun.rt.javaCommand
                }
            }
        }
        return out;
    }

    /** A Markdown table of the breakdowns, one row per service. */
    static String markdown(Map<String, MemoryBreakdown> byService) {
        if (byService.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("""

                ### Where the resident memory is, after the load

                Per service (MiB): the mapped class data (the AOT cache), the committed heap and metaspace and the \
                compiled code, from each JVM's own counters and `/proc/<pid>/smaps`; *other* is what they leave \
                of the resident set (thread stacks, native allocations of the JIT and the libraries, the JVM's code).

                | service | resident | class data (AOT cache) | heap committed | metaspace | compiled code | other | classes loaded (from the cache) | threads |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|
                """);
        byService.forEach((name, m) -> md.append(String.format(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %,d (%,d) | %d |%n",
                name,
                m.residentMiB(),
                m.classDataMiB(),
                m.heapCommittedMiB(),
                m.metaspaceMiB(),
                m.compiledCodeMiB(),
                m.otherMiB(),
                m.classesLoaded(),
                m.classesFromCache(),
                m.threads())));
        return md.toString();
    }
}
