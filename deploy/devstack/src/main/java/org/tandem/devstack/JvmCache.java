package org.tandem.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The JDK's start-up cache of a service (docs/operations.md, "The AOT cache"): which one a launch uses, and the
 * JVM options that select it.
 *
 * <p>The cache of a service lives in {@code <module>/target/aot/}: {@code app.aot}, written by a training run
 * ({@link Mode#TRAIN}: {@code -XX:AOTCacheOutput}, so it holds the classes loaded and linked during the run
 * and the method profiles of JEP 515), and {@code app.aot.properties}, which names the JVM that wrote it and
 * the size and SHA-256 of every file of the {@code quarkus-app} it was trained on. A launch uses the cache only
 * when the JVM is the same build and every file is unchanged: JDK 25.0.3 does not reject a cache whose jars
 * changed (JDK-8377932) and would then run the classes of the old jars.
 */
public final class JvmCache {

    /** What a launch asks for: {@code TANDEM_JVM_CACHE} = {@code none}, {@code appcds} or {@code aot}. */
    public enum Mode {
        /** No cache: the JVM loads, links and profiles everything at start, as a plain {@code java -jar}. */
        NONE,
        /**
         * The trained cache's classes only, loaded and linked ahead of time (JEP 483), with its method profiles
         * ignored ({@code -XX:-AOTReplayTraining}): what AppCDS with linked classes gives.
         */
        APPCDS,
        /**
         * The trained cache with its method profiles (JEP 515) and {@link #PROFILE_DELAY}: the default when the
         * cache is there.
         */
        AOT,
        /** A training run: writes the cache when the service stops. Not selectable by the environment. */
        TRAIN;

        /** Parses {@code none}, {@code appcds} or {@code aot}. */
        public static Mode parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "appcds" -> APPCDS;
                case "aot" -> AOT;
                default ->
                    throw new IllegalArgumentException(
                            "TANDEM_JVM_CACHE must be none, appcds or aot, not '" + value + "'");
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The first JDK whose AOT cache holds method profiles (JEP 515) and can be written in one run (JEP 514). */
    public static final int FIRST_JDK = 25;

    /**
     * How much later than usual the JIT profiles a method that the training saw but did not leave to C2 (JDK 25's
     * {@code Tier0ProfileDelayFactor} and {@code Tier2ProfileDelayFactor}, 100 and 250 by default, diagnostic
     * flags; their use is in HotSpot's {@code compilationPolicy.cpp}). With a cache's profiles such a method is
     * compiled by C1 with counters only (tier 2), and goes on to the profiled tier and C2 only after 250 times the
     * usual number of calls, and only while C2's queue is short: on two cores, after minutes, so the services ran a
     * fifth to two fifths slower per transition after the first minute than without the profiles. At 10 they
     * spent as much CPU per transition as without the profiles, and the first minute's windows after the first
     * had a p99 of 53–118 ms instead of 19–63 (docs/performance.md, "The trained profiles, and the JIT's delay
     * after them").
     */
    public static final List<String> PROFILE_DELAY = List.of(
            "-XX:+UnlockDiagnosticVMOptions", "-XX:Tier0ProfileDelayFactor=10", "-XX:Tier2ProfileDelayFactor=10");

    /** The JDK that {@link #PROFILE_DELAY} was measured on; a newer one runs with its own defaults until measured. */
    static final int PROFILE_DELAY_JDK = 25;

    static final String CACHE = "app.aot";
    static final String MANIFEST = "app.aot.properties";

    private JvmCache() {}

    /** The folder of a service's cache: {@code <module>/target/aot}. */
    public static Path dir(Path repoRoot, Services.Service s) {
        return repoRoot.resolve(s.module()).resolve("target").resolve("aot");
    }

    /** The {@code quarkus-app} folder whose files a cache belongs to. */
    static Path app(Path repoRoot, Services.Service s) {
        return s.jar(repoRoot).getParent();
    }

    /**
     * What one launch of a service runs with: the extra JVM options (before {@code -jar}) and a one-line note
     * for the launcher's output.
     */
    public record Choice(Mode mode, List<String> options, String note) {}

    /**
     * The options for a launch of {@code s} in {@code wanted} mode by a JVM of major version {@code jdk}. Falls
     * back to no cache, with a note that says why, when the JDK is older than {@link #FIRST_JDK}, when there is
     * no cache, or when the cache was written for other jars or another JVM.
     */
    public static Choice choose(Mode wanted, Path repoRoot, Services.Service s, int jdk) {
        Path dir = dir(repoRoot, s);
        if (wanted == Mode.NONE) {
            return new Choice(Mode.NONE, List.of(), "no JVM cache (TANDEM_JVM_CACHE=none)");
        }
        if (jdk < FIRST_JDK) {
            return new Choice(
                    Mode.NONE,
                    List.of(),
                    "no AOT cache: JDK " + jdk + " runs the services, the cache needs JDK " + FIRST_JDK + " or newer");
        }
        if (wanted == Mode.TRAIN && s.port() == Port.WEB) {
            // the web application serves a static bundle; its cache would cost a minute of the build for little
            return new Choice(Mode.NONE, List.of(), "not trained (the web application serves a static bundle)");
        }
        if (wanted == Mode.TRAIN) {
            try {
                Files.createDirectories(dir);
                Files.deleteIfExists(dir.resolve(MANIFEST));
                Files.deleteIfExists(dir.resolve(CACHE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Choice(
                    Mode.TRAIN,
                    List.of("-XX:AOTCacheOutput=" + dir.resolve(CACHE)),
                    "training run: the AOT cache is written to " + dir.resolve(CACHE) + " when it stops");
        }
        Optional<String> stale = staleness(repoRoot, s);
        if (stale.isPresent()) {
            return new Choice(Mode.NONE, List.of(), "no AOT cache: " + stale.get());
        }
        List<String> options = new ArrayList<>(List.of("-XX:AOTCache=" + dir.resolve(CACHE)));
        if (wanted == Mode.APPCDS) {
            options.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining"));
            return new Choice(Mode.APPCDS, options, "AOT cache, classes only (TANDEM_JVM_CACHE=appcds)");
        }
        if (jdk == PROFILE_DELAY_JDK) {
            options.addAll(PROFILE_DELAY);
        }
        return new Choice(Mode.AOT, options, "AOT cache with method profiles");
    }

    /** Why the cache of {@code s} cannot serve its current jars, or empty when it can. */
    static Optional<String> staleness(Path repoRoot, Services.Service s) {
        Path dir = dir(repoRoot, s);
        if (!Files.isRegularFile(dir.resolve(CACHE)) || !Files.isRegularFile(dir.resolve(MANIFEST))) {
            return Optional.of("none built for " + s.module()
                    + " (./tandem test trains one, or ./tandem test -pl e2e -am -Dit.test=AotTrainingIT)");
        }
        Properties recorded = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(MANIFEST))) {
            recorded.load(in);
        } catch (IOException e) {
            return Optional.of("its manifest is unreadable (" + e.getClass().getSimpleName() + ")");
        }
        String vm = System.getProperty("java.vm.version");
        if (!vm.equals(recorded.getProperty("java.vm.version"))) {
            return Optional.of("written by JVM " + recorded.getProperty("java.vm.version") + ", this is " + vm);
        }
        TreeMap<String, String> now = fingerprint(app(repoRoot, s));
        TreeMap<String, String> then = new TreeMap<>();
        recorded.stringPropertyNames().stream()
                .filter(k -> k.startsWith("file."))
                .forEach(k -> then.put(k.substring("file.".length()), recorded.getProperty(k)));
        if (now.equals(then)) {
            restoreTimes(app(repoRoot, s), recorded);
        } else {
            long changed = Stream.concat(now.keySet().stream(), then.keySet().stream())
                    .distinct()
                    .filter(f -> !java.util.Objects.equals(now.get(f), then.get(f)))
                    .count();
            return Optional.of("trained on other jars (" + changed + " of " + now.size()
                    + " files of quarkus-app differ); ./tandem test trains a new one");
        }
        return Optional.empty();
    }

    /**
     * Records, after a training run wrote the cache, which JVM wrote it and the files it was trained on. Returns
     * false (and writes nothing) when the run left no cache.
     */
    public static boolean seal(Path repoRoot, Services.Service s) {
        Path dir = dir(repoRoot, s);
        if (!Files.isRegularFile(dir.resolve(CACHE))) {
            return false;
        }
        Properties p = new Properties();
        p.setProperty("java.vm.version", System.getProperty("java.vm.version"));
        p.setProperty("java.vm.vendor", System.getProperty("java.vm.vendor"));
        Path app = app(repoRoot, s);
        fingerprint(app).forEach((f, v) -> {
            p.setProperty("file." + f, v);
            try {
                p.setProperty(
                        "mtime." + f,
                        Long.toString(Files.getLastModifiedTime(app.resolve(f)).toMillis()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (var out = Files.newOutputStream(dir.resolve(MANIFEST))) {
            p.store(out, "the files of quarkus-app that " + CACHE + " was trained on (size:sha256)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    /**
     * Gives the files of {@code app}, whose content is what the cache was trained on, the modification times
     * they had then: a rebuild writes identical jars anew, and a JDK that checks each jar's time (JDK-8377932
     * fixed) would otherwise refuse the cache.
     */
    private static void restoreTimes(Path app, Properties recorded) {
        for (String k : recorded.stringPropertyNames()) {
            if (k.startsWith("mtime.")) {
                Path f = app.resolve(k.substring("mtime.".length()));
                try {
                    java.nio.file.attribute.FileTime t =
                            java.nio.file.attribute.FileTime.fromMillis(Long.parseLong(recorded.getProperty(k)));
                    if (!Files.getLastModifiedTime(f).equals(t)) {
                        Files.setLastModifiedTime(f, t);
                    }
                } catch (IOException | NumberFormatException e) {
                    // the JVM then judges the cache itself, and runs without it if it must
                }
            }
        }
    }

    /** Every regular file under {@code app}, by relative path: its size and SHA-256. */
    static TreeMap<String, String> fingerprint(Path app) {
        TreeMap<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(app)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(app)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(app.relativize(f).toString().replace('\\', '/'), Files.size(f) + ":" + sha256(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String sha256(Path f) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            try (InputStream in = Files.newInputStream(f)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
