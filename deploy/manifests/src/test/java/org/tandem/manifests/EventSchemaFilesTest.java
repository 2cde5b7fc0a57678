package org.tandem.manifests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.tandem.events.EventCatalog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schemas the registration Job registers (deploy/kubernetes/schema-registration/schemas) are exactly the event
 * catalogue's, with their named types inlined, in the same form as the local stack registers them (so that a run adds no version); and the kustomization ships
 * every one of them. After a schema change: {@code ./tandem mvn -B -pl deploy/manifests -am test
 * -Dtest=EventSchemaFilesTest -Dtandem.manifests.write-schemas=true} rewrites them (deploy/kubernetes/README.md).
 */
class EventSchemaFilesTest {

    static final Path DIR = Schemas.KUBERNETES.resolve("schema-registration/schemas");

    static Map<String, String> expected() {
        Map<String, String> out = new TreeMap<>();
        for (EventCatalog.Entry e : EventCatalog.all()) {
            out.put(e.fullName() + ".avsc", e.schema().toString() + "\n");
        }
        return out;
    }

    @Test
    void theRegistrationJobShipsEveryEventSchemaOfTheCatalogueAndNothingElse() throws IOException {
        Map<String, String> expected = expected();
        if (Boolean.getBoolean("tandem.manifests.write-schemas")) {
            Files.createDirectories(DIR);
            try (Stream<Path> old = Files.list(DIR)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            for (var e : expected.entrySet()) {
                Files.writeString(DIR.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
        }
        Map<String, String> actual = new TreeMap<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path p : files.toList()) {
                actual.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        assertThat(expected).isNotEmpty();
        assertThat(actual)
                .as("deploy/kubernetes/schema-registration/schemas; rewrite with -Dtandem.manifests.write-schemas=true")
                .isEqualTo(expected);
    }

    @Test
    void theKustomizationPutsEverySchemaFileIntoTheJobsConfigMap() {
        var generator = Manifests.kustomization().get("configMapGenerator");
        var schemas = Stream.iterate(0, i -> i < generator.size(), i -> i + 1)
                .map(generator::get)
                .filter(g -> g.get("name").asText().equals("tandem-event-schemas"))
                .findFirst()
                .orElseThrow();
        var listed = new java.util.TreeSet<String>();
        schemas.get("files").forEach(f -> listed.add(f.asText()));
        assertThat(listed)
                .containsExactlyInAnyOrderElementsOf(expected().keySet().stream()
                        .map(n -> "schema-registration/schemas/" + n)
                        .toList());
    }
}
