package org.tandem.events.governance;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnonymisationPolicyTest {

    private static Schema record(String fields) {
        return new Schema.Parser().parse("""
                {"type":"record","name":"Probe","namespace":"t","fields":[%s]}""".formatted(fields));
    }

    @Test
    void accepts_ids_codes_counts_and_timestamps() {
        Schema ok = record("""
                {"name":"eventId","type":"string","tandem.class":"event-id"},
                {"name":"capacityAvailable","type":["null","int"],"default":null,"tandem.class":"count"},
                {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"},"tandem.class":"timestamp"},
                {"name":"level","type":{"type":"enum","name":"Level","symbols":["LOW","HIGH"]},"tandem.class":"code"}
                """);
        assertThat(AnonymisationPolicy.violations(ok)).isEmpty();
    }

    @Test
    void refuses_an_exact_count_of_people_as_a_quasi_identifier() {
        for (String name :
                new String[] {"accompanyingChildren", "householdSize", "familyMembers", "numberOfPeople", "minors"}) {
            assertThat(AnonymisationPolicy.violations(record("""
                    {"name":"%s","type":"int","tandem.class":"count"}""".formatted(name))))
                    .as(name)
                    .singleElement()
                    .asString()
                    .contains("t.Probe." + name)
                    .contains("quasi-identifier");
        }
        // a band code says enough, and a count of places is not a count of people
        assertThat(AnonymisationPolicy.violations(record("""
                {"name":"childrenBand","type":{"type":"enum","name":"Band","symbols":["NONE","SOME"]},"tandem.class":"code"},
                {"name":"capacityMaximum","type":"int","tandem.class":"count"}"""))).isEmpty();
    }

    @Test
    void refuses_a_field_that_declares_no_class() {
        var violations = AnonymisationPolicy.violations(record("""
                {"name":"city","type":"string"}"""));
        assertThat(violations)
                .singleElement()
                .asString()
                .contains("t.Probe.city")
                .contains("no \"tandem.class\"");
    }

    @Test
    void refuses_a_personal_data_name_even_with_an_allowed_class() {
        var violations = AnonymisationPolicy.violations(record("""
                {"name":"survivorName","type":"string","tandem.class":"opaque-id"}"""));
        assertThat(violations).anyMatch(v -> v.contains("survivorName") && v.contains("personal data"));
    }

    @Test
    void refuses_free_text_disguised_as_a_count_or_an_unknown_class() {
        assertThat(AnonymisationPolicy.violations(record("""
                {"name":"summary","type":"string","tandem.class":"count"}""")))
                .singleElement()
                .asString()
                .contains("does not fit field class count");
        assertThat(AnonymisationPolicy.violations(record("""
                {"name":"summary","type":"string","tandem.class":"free-text"}""")))
                .singleElement()
                .asString()
                .contains("not an allowed field class");
    }

    @Test
    void refuses_a_plain_long_as_timestamp_and_checks_nested_records() {
        var violations = AnonymisationPolicy.violations(record("""
                {"name":"at","type":"long","tandem.class":"timestamp"},
                {"name":"inner","tandem.class":"record","type":{"type":"record","name":"Inner","fields":[
                   {"name":"label","type":"string"}]}}
                """));
        assertThat(violations).hasSize(2);
        assertThat(violations).anyMatch(v -> v.startsWith("t.Probe.inner.label"));
    }
}
