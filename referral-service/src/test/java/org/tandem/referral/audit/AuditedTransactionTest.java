package org.tandem.referral.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

import org.tandem.devstack.Endpoints;
import org.tandem.referral.support.Network;
import org.tandem.referral.support.Referrals;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestInfrastructure;
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
        List<String> actions = auditedActions(receiver, id);
        assertThat(actions).contains("referral.submitted", "referral.accepted");
    }

    /**
     * The audit chain's lock serialises audited transactions while they hold it, so a transition writes its own
     * changes before it takes that lock (#18): a transition that waits for the lock already holds its outbox row's
     * table lock. The database now takes the lock inside the commit (audit-owner.sql, chain_pending()), after every
     * statement of the transaction; before, the service took it and flushed first. Chained before the writes, a
     * transition would wait with nothing written, and then write while the next one waited for it.
     */
    @Test
    void a_transition_writes_its_changes_before_it_waits_for_the_chains_lock() throws Exception {
        TestOrganisation sender = network.get(0);
        TestOrganisation receiver = network.get(1);
        String id = draft(sender, receiver, "ROUTINE");
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        Endpoints e = TestInfrastructure.endpoints();
        try (Connection holder =
                        DriverManager.getConnection(e.jdbcUrl(), e.dbUser("referral"), e.dbPassword("referral"));
                Connection observer = DriverManager.getConnection(e.jdbcUrl(), e.superuser(), e.superuserPassword());
                Statement hold = holder.createStatement()) {
            holder.setAutoCommit(false);
            hold.executeQuery("select referral_audit.lock_head()").close();
            CompletableFuture<Integer> acknowledged =
                    CompletableFuture.supplyAsync(() -> post(receiver.caseworkerToken(), "acknowledgement", id)
                            .extract()
                            .statusCode());
            boolean waitingWithItsWrites = false;
            long deadline = System.nanoTime() + 20_000_000_000L;
            try (PreparedStatement waiting = observer.prepareStatement("""
                    select exists (select 1 from pg_locks l
                                   where l.pid = a.pid and l.granted and l.mode = 'RowExclusiveLock'
                                     and l.relation = 'referral.outbox_event'::regclass)
                    from pg_stat_activity a
                    where a.usename = ? and a.wait_event_type = 'Lock' and a.wait_event = 'advisory'""")) {
                waiting.setString(1, e.dbUser("referral"));
                boolean someoneWaits = false;
                while (!someoneWaits && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    try (ResultSet rs = waiting.executeQuery()) {
                        while (rs.next()) {
                            someoneWaits = true;
                            waitingWithItsWrites |= rs.getBoolean(1);
                        }
                    }
                }
                assertThat(someoneWaits)
                        .as("the transition waits for the chain's lock")
                        .isTrue();
            } finally {
                holder.rollback();
            }
            assertThat(waitingWithItsWrites)
                    .as("the waiting transition has written its outbox row")
                    .isTrue();
            assertThat(acknowledged.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        }
        List<String> actions = auditedActions(receiver, id);
        assertThat(actions).anyMatch(a -> a.contains("acknowledg"));
    }

    /** The actions the audit log holds on a referral, as its organisation's administrator reads them. */
    private static List<String> auditedActions(TestOrganisation org, String referralId) {
        return given().auth()
                .oauth2(org.adminToken())
                .when()
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { it.resourceId == '" + referralId + "' }.action", String.class);
    }
}
