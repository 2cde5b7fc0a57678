package org.tandem.registry.domain;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.tandem.events.registry.KeyUse;
import org.tandem.events.registry.MembershipStatus;
import org.tandem.testing.Vocabulary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry's code lists come from the event schemas (the one source): its own enums, which the domain needs
 * without depending on Avro, must hold exactly the schemas' codes, and its SQL only codes of those enums. A code added
 * on one side only fails here.
 */
class VocabularyTest {

    @Test
    void service_codes_are_the_schemas_service_codes() {
        assertThat(Vocabulary.codes(ServiceCode.class))
                .containsExactlyElementsOf(Vocabulary.codes(org.tandem.events.common.ServiceCode.class));
    }

    @Test
    void membership_statuses_are_the_schemas_statuses() {
        assertThat(Vocabulary.codes(Membership.Status.class))
                .containsExactlyElementsOf(Vocabulary.codes(MembershipStatus.class));
    }

    @Test
    void key_uses_are_the_schemas_key_uses() {
        assertThat(Vocabulary.codes(PublicKeyPolicy.Use.class))
                .containsExactlyElementsOf(Vocabulary.codes(KeyUse.class));
    }

    @Test
    void the_service_labels_in_the_migrations_label_every_code_and_no_other() {
        var labelled = Vocabulary.quotedCodes(
                "db/migration/V2__address_disclosure_labels_search.sql", Pattern.compile("\\('([A-Z_]+)', 'deu'"));
        assertThat(labelled).containsExactlyInAnyOrderElementsOf(Vocabulary.codes(ServiceCode.class));
    }
}
