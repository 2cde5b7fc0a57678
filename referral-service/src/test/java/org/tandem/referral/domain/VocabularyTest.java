package org.tandem.referral.domain;

import org.junit.jupiter.api.Test;

import org.tandem.events.common.ServiceCode;
import org.tandem.events.referral.ReferralStatus;
import org.tandem.testing.Vocabulary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * referral-service's code lists come from the event schemas (the one source): its own enums, which the domain needs
 * without depending on Avro, must hold exactly the schemas' codes in the same order. A code added on one side only
 * fails here. (Age bands, safety risks and consent's lists are not in any event; their one source is this domain.)
 */
class VocabularyTest {

    @Test
    void requested_services_are_the_schemas_service_codes() {
        assertThat(Vocabulary.codes(RequestedService.class))
                .containsExactlyElementsOf(Vocabulary.codes(ServiceCode.class));
    }

    @Test
    void urgencies_are_the_schemas_urgencies() {
        assertThat(Vocabulary.codes(Urgency.class))
                .containsExactlyElementsOf(Vocabulary.codes(org.tandem.events.referral.Urgency.class));
    }

    @Test
    void decline_reasons_are_the_schemas_decline_reasons() {
        assertThat(Vocabulary.codes(DeclineReason.class))
                .containsExactlyElementsOf(Vocabulary.codes(org.tandem.events.referral.DeclineReason.class));
    }

    @Test
    void stages_are_the_schemas_stages() {
        assertThat(Vocabulary.codes(Stage.class))
                .containsExactlyElementsOf(Vocabulary.codes(org.tandem.events.referral.Stage.class));
    }

    @Test
    void outcomes_are_the_schemas_outcomes() {
        assertThat(Vocabulary.codes(Outcome.class))
                .containsExactlyElementsOf(Vocabulary.codes(org.tandem.events.referral.Outcome.class));
    }

    @Test
    void referral_statuses_are_the_schemas_statuses() {
        assertThat(Vocabulary.codes(Referral.Status.class))
                .containsExactlyElementsOf(Vocabulary.codes(ReferralStatus.class));
    }
}
