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
import org.tandem.referral.support.Referrals;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.referral.support.Referrals.accepted;
import static org.tandem.referral.support.Referrals.draft;
import static org.tandem.referral.support.Referrals.post;

/**
 * An audited request commits on the one connection of its transaction: the audit entries are chained before
 * Hibernate flushes and releases that connection, so the pool never has to close a second one at the commit. Before
 * the fix, each audited read and change here logged "Closing open connection(s) prior to commit" once (issue #18);
 * the entries are still written.
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
                // the pool logs a pattern and its parameters; the text of interest is in the parameters
                Object[] params = record.getParameters();
                messages.add(record.getLoggerName() + ": " + record.getMessage()
                        + (params == null ? "" : " " + java.util.Arrays.toString(params)));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    private static void step(java.util.Map<String, Long> perStep, Warnings warnings, String name, Runnable request) {
        long before = warnings.messages.stream()
                .filter(m -> m.contains("prior to commit"))
                .count();
        request.run();
        // the pool warns at the commit, which may finish just after the answer left
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        perStep.put(
                name,
                warnings.messages.stream()
                                .filter(m -> m.contains("prior to commit"))
                                .count()
                        - before);
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
        String id = draft(sender, receiver, "ROUTINE");
        java.util.Map<String, Long> perStep = new java.util.LinkedHashMap<>();
        try {
            step(
                    perStep,
                    warnings,
                    "read",
                    () -> Referrals.read(sender.caseworkerToken(), id).statusCode(200));
            step(
                    perStep,
                    warnings,
                    "submission",
                    () -> post(sender.caseworkerToken(), "submission", id).statusCode(200));
            step(
                    perStep,
                    warnings,
                    "acknowledgement",
                    () -> post(receiver.caseworkerToken(), "acknowledgement", id)
                            .statusCode(200));
            step(
                    perStep,
                    warnings,
                    "refused",
                    () -> post(sender.caseworkerToken(), "acceptance", id).statusCode(403));
            step(
                    perStep,
                    warnings,
                    "acceptance",
                    () -> post(receiver.caseworkerToken(), "acceptance", id).statusCode(200));
        } finally {
            root.removeHandler(warnings);
        }

        System.out.println("[AuditedTransactionTest] 'prior to commit' warnings per step: " + perStep);
        assertThat(warnings.messages).as("warnings per step: " + perStep).noneMatch(m -> m.contains("prior to commit"));
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
