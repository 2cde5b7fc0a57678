package org.tandem.events.governance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * The released versions of each event schema, kept in {@code schemas/history/<full name>/v<n>.avsc}.
 * A new schema must be able to read every record written with an earlier version (backward
 * compatibility, the same rule the registry enforces), because consumers upgrade before old records
 * leave the topics.
 */
public final class SchemaHistory {

    private final Path root;

    public SchemaHistory(Path root) {
        this.root = root;
    }

    public List<Schema> versions(String fullName) {
        Path dir = root.resolve(fullName);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted(Comparator.comparingInt(SchemaHistory::versionNumber))
                    .map(SchemaHistory::parse)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Messages for each earlier version that {@code current} cannot read. */
    public List<String> incompatibilities(Schema current) {
        List<String> out = new ArrayList<>();
        List<Schema> earlier = versions(current.getFullName());
        for (int i = 0; i < earlier.size(); i++) {
            out.addAll(incompatibilities(current, earlier.get(i), "v" + (i + 1)));
        }
        return out;
    }

    public static List<String> incompatibilities(Schema reader, Schema writer, String writerLabel) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult();
        if (result.getCompatibility() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getIncompatibilities().stream()
                .map(inc -> reader.getFullName() + " cannot read " + writerLabel + ": " + inc.getType() + " at "
                        + inc.getLocation() + " (" + inc.getMessage() + ")")
                .toList();
    }

    /** Stores {@code current} as the next version when it differs from the latest one. Used on release. */
    public boolean record(Schema current) {
        List<Schema> earlier = versions(current.getFullName());
        if (!earlier.isEmpty() && earlier.get(earlier.size() - 1).equals(current)) {
            return false;
        }
        Path file = root.resolve(current.getFullName()).resolve("v" + (earlier.size() + 1) + ".avsc");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, current.toString(true) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    private static int versionNumber(Path p) {
        String n = p.getFileName().toString();
        return Integer.parseInt(n.substring(1, n.length() - ".avsc".length()));
    }

    private static Schema parse(Path p) {
        try {
            return new Schema.Parser().parse(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
