package org.tandem.events.governance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import org.tandem.events.EventCatalog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build checks on the real event schemas. They fail the build when an event schema carries a
 * field outside the anonymisation allow-list, or can no longer read a released version.
 */
class EventSchemasGovernanceTest {

    private static final Path AVRO_SOURCES = Path.of("src/main/avro");
    private static final SchemaHistory HISTORY = new SchemaHistory(Path.of("history"));

    @Test
    void every_event_field_is_on_the_anonymisation_allow_list() {
        List<String> violations = new ArrayList<>();
        for (var entry : EventCatalog.all()) {
            violations.addAll(AnonymisationPolicy.violations(entry.schema()));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void every_event_schema_reads_all_its_released_versions() {
        boolean record = Boolean.getBoolean("tandem.schemas.record");
        List<String> problems = new ArrayList<>();
        for (var entry : EventCatalog.all()) {
            problems.addAll(HISTORY.incompatibilities(entry.schema()));
            if (record) {
                HISTORY.record(entry.schema());
            } else if (HISTORY.versions(entry.fullName()).isEmpty()) {
                problems.add(entry.fullName() + " has no released version in schemas/history; record it with "
                        + "./mvnw -pl schemas test -Dtandem.schemas.record=true");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void every_event_schema_file_is_in_the_catalog() throws IOException {
        Set<String> catalogued =
                EventCatalog.all().stream().map(EventCatalog.Entry::fullName).collect(Collectors.toSet());
        List<String> eventFiles;
        try (Stream<Path> files = Files.walk(AVRO_SOURCES)) {
            eventFiles = files.filter(p -> p.toString().endsWith(".avsc"))
                    .map(EventSchemasGovernanceTest::readJson)
                    .filter(json -> json.contains("\"eventId\""))
                    .map(json -> {
                        var name = json.replaceAll("(?s).*?\"name\"\\s*:\\s*\"([^\"]+)\".*", "$1");
                        var ns = json.replaceAll("(?s).*?\"namespace\"\\s*:\\s*\"([^\"]+)\".*", "$1");
                        return ns + "." + name;
                    })
                    .toList();
        }
        assertThat(eventFiles).isNotEmpty();
        assertThat(catalogued).containsAll(eventFiles);
    }

    @Test
    void catalogued_schemas_are_the_generated_ones() {
        for (var entry : EventCatalog.all()) {
            Schema fromClass = new org.apache.avro.specific.SpecificData().getSchema(entry.type());
            assertThat(fromClass).isEqualTo(entry.schema());
        }
    }

    private static String readJson(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
