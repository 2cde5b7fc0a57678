package org.tandem.referral.audit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.referral.support.Network;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.referral.support.Referrals.accepted;

/**
 * An audited change commits on the one connection of its transaction: the audit entries are chained before
 * Hibernate flushes and releases that connection, so the pool never has to close a second one at the commit (it
 * warned "Closing open connection(s) prior to commit" on every audited request before, issue #18), and the entries
 * are still there.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class AuditedTransactionTest {

    static Network network;

    /** Every warning logged anywhere in the service while the requests run. */
    static final class Warnings extends Handler {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                messages.add(record.getLoggerName() + ": " + record.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @BeforeAll
    static void organisations() {
        network = Network.of("NL", "ES");
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void audited_changes_leave_no_connection_open_at_the_commit_and_their_entries_are_written() {
        TestOrganisation sender = network.get(0);
        TestOrganisation receiver = network.get(1);
        accepted(sender, receiver, "ROUTINE"); // warm: the first request of a fresh service may log other things

        Warnings warnings = new Warnings();
        Logger root = Logger.getLogger("");
        root.addHandler(warnings);
        String id;
        try {
            id = accepted(sender, receiver, "ROUTINE"); // draft, submission, acceptance: three audited commits
        } finally {
            root.removeHandler(warnings);
        }

        assertThat(warnings.messages).noneMatch(m -> m.contains("prior to commit"));
        List<String> actions = given().auth()
                .oauth2(receiver.adminToken())
                .when()
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { it.resourceId == '" + id + "' }.action", String.class);
        assertThat(actions).contains("referral.submitted", "referral.accepted");
    }
}
