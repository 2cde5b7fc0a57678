package org.tandem.events.governance;

import java.nio.file.Path;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaHistoryTest {

    private static final String V1 = """
            {"type":"record","name":"Evt","namespace":"t","fields":[
              {"name":"id","type":"string"},
              {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B"]}}]}""";

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    @Test
    void an_optional_field_with_a_default_and_a_new_enum_symbol_stay_compatible(@TempDir Path dir) {
        var history = new SchemaHistory(dir);
        history.record(parse(V1));
        Schema v2 = parse("""
                {"type":"record","name":"Evt","namespace":"t","fields":[
                  {"name":"id","type":"string"},
                  {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B","C"]}},
                  {"name":"count","type":"int","default":0}]}""");
        assertThat(history.incompatibilities(v2)).isEmpty();
    }

    @Test
    void a_new_required_field_breaks_compatibility(@TempDir Path dir) {
        var history = new SchemaHistory(dir);
        history.record(parse(V1));
        Schema v2 = parse("""
                {"type":"record","name":"Evt","namespace":"t","fields":[
                  {"name":"id","type":"string"},
                  {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B"]}},
                  {"name":"count","type":"int"}]}""");
        assertThat(history.incompatibilities(v2))
                .singleElement()
                .asString()
                .contains("cannot read v1")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    }

    @Test
    void a_removed_enum_symbol_breaks_compatibility_and_versions_accumulate(@TempDir Path dir) {
        var history = new SchemaHistory(dir);
        assertThat(history.record(parse(V1))).isTrue();
        assertThat(history.record(parse(V1)))
                .as("an unchanged schema is not recorded twice")
                .isFalse();
        Schema narrowed = parse("""
                {"type":"record","name":"Evt","namespace":"t","fields":[
                  {"name":"id","type":"string"},
                  {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A"]}}]}""");
        assertThat(history.versions("t.Evt")).hasSize(1);
        assertThat(history.incompatibilities(narrowed)).isNotEmpty();
    }
}
