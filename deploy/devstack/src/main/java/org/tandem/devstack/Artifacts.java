package org.tandem.devstack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.tukaani.xz.XZInputStream;

/**
 * Where Maven put the archives we start (written into a resource at build time), and their unpacking
 * into a cache keyed by version, so that it happens once per machine.
 */
final class Artifacts {

    private static final String RESOURCE = "/org/tandem/devstack/devstack-artifacts.properties";
    private static Properties props;

    private Artifacts() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Artifacts.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new StackException("missing resource " + RESOURCE + ": build deploy/devstack with Maven first");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static synchronized String get(String key) {
        if (props == null) {
            props = load();
        }
        String v = props.getProperty(key);
        if (v == null || v.isBlank() || v.startsWith("${")) {
            throw new StackException("devstack-artifacts.properties has no value for " + key
                    + ": rebuild deploy/devstack with Maven (./tandem mvn -pl deploy/devstack -am package)");
        }
        return v.trim();
    }

    static Path file(String key) {
        Path p = Path.of(get(key));
        if (!Files.isRegularFile(p)) {
            throw new StackException(p + " (" + key + ") is missing: run ./tandem mvn -pl deploy/devstack -am package,"
                    + " which downloads it");
        }
        return p;
    }

    static String version(String part) {
        return get(part + ".version");
    }

    /** PostgreSQL binaries: a jar that holds one .txz. Returns the directory with bin/, lib/ and share/. */
    static Path postgres(StackConfig cfg) {
        return unpackOnce(cfg, "postgres-" + version("postgres"), target -> {
            try (ZipInputStream jar = new ZipInputStream(Files.newInputStream(file("postgres.binaries")))) {
                for (ZipEntry e; (e = jar.getNextEntry()) != null; ) {
                    if (e.getName().endsWith(".txz")) {
                        untar(new XZInputStream(new BufferedInputStream(jar)), target, 0);
                        return;
                    }
                }
            }
            throw new StackException("no .txz in " + file("postgres.binaries"));
        });
    }

    /** Apicurio Registry: a Quarkus fast-jar in a tar.gz. Returns the directory with quarkus-run.jar. */
    static Path apicurio(StackConfig cfg) {
        return unpackOnce(cfg, "apicurio-registry-" + version("apicurio"), target -> {
            try (InputStream in =
                    new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file("apicurio.archive"))))) {
                untar(in, target, 0);
            }
        });
    }

    /** Keycloak: a zip with one top directory, which is stripped. */
    static Path keycloak(StackConfig cfg) {
        return unpackOnce(cfg, "keycloak-" + version("keycloak"), target -> {
            try (ZipFile zip =
                    ZipFile.builder().setPath(file("keycloak.archive")).get()) {
                Enumeration<ZipArchiveEntry> entries = zip.getEntries();
                while (entries.hasMoreElements()) {
                    ZipArchiveEntry e = entries.nextElement();
                    Path out = resolve(target, e.getName(), 1);
                    if (out == null) {
                        continue;
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                        continue;
                    }
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                    int mode = e.getUnixMode();
                    if (mode != 0) {
                        Files.setPosixFilePermissions(out, perms(mode));
                    }
                }
            }
            try (Stream<Path> scripts = Files.list(target.resolve("bin"))) {
                for (Path s : (Iterable<Path>) scripts::iterator) {
                    if (s.toString().endsWith(".sh")) {
                        s.toFile().setExecutable(true);
                    }
                }
            }
        });
    }

    interface Unpacker {
        void unpack(Path target) throws IOException;
    }

    /** Unpacks into a temporary sibling and renames it into place, so a half-unpacked cache never exists. */
    static Path unpackOnce(StackConfig cfg, String name, Unpacker unpacker) {
        Path target = cfg.cacheDir().resolve(name);
        if (Files.isRegularFile(target.resolve(".complete"))) {
            return target;
        }
        try {
            Files.createDirectories(cfg.cacheDir());
            Path tmp = Files.createTempDirectory(cfg.cacheDir(), name + ".unpacking-");
            try {
                System.out.println("[devstack] preparing " + target + " (once per version)");
                unpacker.unpack(tmp);
                Files.writeString(tmp.resolve(".complete"), name + "\n");
                if (Files.exists(target) && !Files.isRegularFile(target.resolve(".complete"))) {
                    deleteTree(target); // a leftover from an interrupted unpack
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException
                        | AtomicMoveNotSupportedException
                        | java.nio.file.DirectoryNotEmptyException raced) {
                    if (!Files.isRegularFile(target.resolve(".complete"))) {
                        throw raced;
                    } // someone else finished first
                }
            } finally {
                if (Files.exists(tmp)) {
                    deleteTree(tmp);
                }
            }
            return target;
        } catch (IOException e) {
            throw new StackException("could not unpack " + name + " into " + target + ": " + e, e);
        }
    }

    static void untar(InputStream raw, Path target, int strip) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(raw);
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            Path out = resolve(target, e.getName(), strip);
            if (out == null) {
                continue;
            }
            if (e.isDirectory()) {
                Files.createDirectories(out);
            } else if (e.isSymbolicLink()) {
                Files.createDirectories(out.getParent());
                Files.deleteIfExists(out);
                Files.createSymbolicLink(out, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                Files.createDirectories(out.getParent());
                Files.deleteIfExists(out);
                Files.createLink(out, resolve(target, e.getLinkName(), strip));
            } else {
                Files.createDirectories(out.getParent());
                Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                if (e.getMode() != 0) {
                    Files.setPosixFilePermissions(out, perms(e.getMode()));
                }
            }
        }
    }

    private static Path resolve(Path target, String entryName, int strip) {
        String n = entryName.replace('\\', '/');
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        String[] parts = n.split("/");
        if (parts.length <= strip) {
            return null;
        }
        Path out = target;
        for (int i = strip; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                out = out.resolve(parts[i]);
            }
        }
        out = out.normalize();
        if (!out.startsWith(target) || out.equals(target)) {
            return null; // nothing outside the target, ever
        }
        return out;
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> s = new HashSet<>();
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        s.add(PosixFilePermission.OWNER_READ);
        s.add(PosixFilePermission.OWNER_WRITE);
        return s;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
