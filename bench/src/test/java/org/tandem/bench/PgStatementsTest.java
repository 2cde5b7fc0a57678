package org.tandem.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's statement section: figures per transition, the top ones only, and text that keeps the table whole. */
class PgStatementsTest {

    private static final List<PgStatements.Row> ROWS = List.of(
            new PgStatements.Row("referral_svc", "update referral set state = $1\n  where id = $2", 400, 10, 30),
            new PgStatements.Row("notification_svc", "select a | b from t", 200, 0, 20),
            new PgStatements.Row("referral_svc", "commit", 600, 0, 10));

    @Test
    void gives_each_statement_per_transition_and_its_share_of_all() {
        String md = PgStatements.markdown(100, 200, ROWS, 2);

        // 1,200 statements, 70 ms, for 200 transitions
        assertThat(md).contains("## Where PostgreSQL's time goes at 100/s");
        assertThat(md).contains("1,200 statements for 200 transitions, 6.0 per transition, 0.350 ms per transition");
        // the update: 2 calls per transition, 25 µs planning and 75 executing each, 0.2 ms per transition, 4/7 of all
        assertThat(md)
                .contains(
                        "| referral_svc | `update referral set state = $1 where id = $2` | 2.00 | 25.0 | 75.0 | 0.200 | 57% |");
        assertThat(md).contains("| notification_svc | `select a \\| b from t` | 1.00 | 0.0 | 100.0 | 0.100 | 29% |");
        assertThat(md).doesNotContain("`commit`");
    }

    @Test
    void shortens_long_statements_to_one_line() {
        String longOne = "select " + "x, ".repeat(100) + "y\nfrom z";

        String shortened = PgStatements.shorten(longOne);

        assertThat(shortened).hasSize(160).endsWith("...").doesNotContain("\n");
        assertThat(PgStatements.shorten("select `a`")).isEqualTo("select 'a'");
    }
}
