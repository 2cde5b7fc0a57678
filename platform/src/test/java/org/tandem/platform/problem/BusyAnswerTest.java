package org.tandem.platform.problem;

import java.sql.SQLException;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An exhausted connection pool is overload, answered 503 with Retry-After, not a 500 defect. */
class BusyAnswerTest {

    static RuntimeException wrapped(String message) {
        // as Hibernate and the transaction manager wrap Agroal's exception
        return new IllegalStateException(
                "could not prepare statement",
                new RuntimeException("Unable to acquire JDBC Connection", new SQLException(message)));
    }

    @Test
    void a_pool_acquisition_timeout_anywhere_in_the_causes_is_recognised() {
        assertThat(ProblemMappers.poolExhausted(wrapped("Sorry, acquisition timeout!")))
                .isTrue();
        assertThat(ProblemMappers.poolExhausted(wrapped("connection refused"))).isFalse();
        assertThat(ProblemMappers.poolExhausted(new RuntimeException("acquisition timeout")))
                .isFalse(); // not SQL
        assertThat(ProblemMappers.poolExhausted(new RuntimeException())).isFalse();
    }

    @Test
    void overload_is_a_503_problem_with_retry_after_and_anything_else_unexpected_stays_a_500() {
        Response busy = new ProblemMappers().unexpected(wrapped("Sorry, acquisition timeout!"));
        assertThat(busy.getStatus()).isEqualTo(503);
        assertThat(busy.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(busy.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(((Problem) busy.getEntity()).type()).endsWith("service-busy");

        Response broken = new ProblemMappers().unexpected(wrapped("relation does not exist"));
        assertThat(broken.getStatus()).isEqualTo(500);
        assertThat(broken.getHeaderString("Retry-After")).isNull();
    }
}
