package org.tandem.platform.problem;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemsTest {

    @Test
    void unprocessable_names_the_field_at_fault_with_status_422_and_the_common_title() {
        Problem p = Problems.unprocessable(
                        "receiverOrganisationId",
                        "is not an approved member organisation",
                        "unknown-organisation",
                        "Find one in the directory.")
                .problem();
        assertThat(p.status()).isEqualTo(422);
        assertThat(p.type()).isEqualTo("urn:problem-type:tandem:unknown-organisation");
        assertThat(p.title()).isEqualTo(Problems.UNPROCESSABLE_TITLE);
        assertThat(p.detail()).isEqualTo("Find one in the directory.");
        assertThat(p.errors())
                .containsExactly(
                        new Problem.FieldError("receiverOrganisationId", "is not an approved member organisation"));
    }

    @Test
    void unprocessable_takes_a_title_of_its_own() {
        Problem p = Problems.unprocessable(
                        "consent",
                        "has expired",
                        "consent-required",
                        "Valid consent is required",
                        "The survivor's consent has expired.")
                .problem();
        assertThat(p.title()).isEqualTo("Valid consent is required");
        assertThat(p.errors()).isEqualTo(List.of(new Problem.FieldError("consent", "has expired")));
    }
}
