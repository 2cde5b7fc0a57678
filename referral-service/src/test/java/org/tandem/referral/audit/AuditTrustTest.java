package org.tandem.referral.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import org.tandem.devstack.Endpoints;
import org.tandem.platform.audit.AnchorTopic;
import org.tandem.platform.audit.AuditAnchoring;
import org.tandem.platform.audit.AuditEntry;
import org.tandem.platform.audit.AuditLog;
import org.tandem.platform.lease.JobLease;
import org.tandem.referral.support.Coordination;
import org.tandem.referral.support.Referrals;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestInfrastructure;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

/**
 * The audit trail against someone who tries (docs/privacy.md, "Audit trust model"): the service's own database
 * credentials can only append; with superuser access, a changed row, a cut tail and a re-chained forgery of the whole
 * table are each detected against the anchor published on Kafka; a retention purge up to an anchor leaves a chain that
 * verifies. Each tamper test puts the table back as it found it.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class AuditTrustTest {

    private static final String TABLE = "referral_audit.audit_log";
    private static final String COLUMNS = "seq, at, actor_subject, actor_org, action, resource_type, resource_id,"
            + " concerned_orgs, outcome, prev_hash, hash";

    @Inject
    AuditAnchoring anchoring;

    @Inject
    AuditLog audit;

    @Inject
    AnchorTopic topic;

    @Inject
    JobLease lease;

    private final KeycloakRealm realm = KeycloakRealm.get();

    /** Leaves one audit entry (coordinators' statistics reads are audited). */
    private void someEntries(int n) {
        for (int i = 0; i < n; i++) {
            Coordination.statistics(realm.coordinatorToken(), "2031").statusCode(200);
        }
    }

    private static Connection asService() throws SQLException {
        Endpoints e = TestInfrastructure.endpoints();
        return DriverManager.getConnection(e.jdbcUrl(), e.dbUser("referral"), e.dbPassword("referral"));
    }

    private static Connection asSuperuser() throws SQLException {
        Endpoints e = TestInfrastructure.endpoints();
        return DriverManager.getConnection(e.jdbcUrl(), e.superuser(), e.superuserPassword());
    }

    @Test
    void the_services_own_credentials_can_append_and_nothing_else() throws Exception {
        someEntries(2);
        long head = audit.head().orElseThrow().seq();
        List<String> attempts = List.of(
                "update " + TABLE + " set outcome = 'ALLOWED' where seq = " + head,
                "delete from " + TABLE + " where seq = " + head,
                "truncate " + TABLE,
                "alter table " + TABLE + " disable trigger audit_log_no_update",
                "alter table " + TABLE + " disable trigger all",
                "alter table " + TABLE + " rename to audit_log_gone",
                "alter table " + TABLE + " add column note text",
                "drop table " + TABLE,
                "drop trigger audit_log_no_update on " + TABLE,
                "create or replace function referral_audit.audit_log_is_append_only() returns trigger language plpgsql"
                        + " as $$ begin return old; end $$",
                "insert into " + TABLE + " (at, actor_subject, action, resource_type, outcome, prev_hash, hash)"
                        + " values (now(), 'x', 'x', 'x', 'ALLOWED', 'x', 'x')",
                "drop schema referral_audit cascade",
                "create table referral_audit.audit_log_shadow (seq bigint)",
                "alter schema referral_audit rename to referral_audit_gone",
                "update referral_audit.audit_purge set hash = 'x'",
                "update referral_audit.audit_settings set min_retention = interval '0'",
                "set role referral_audit",
                // entries wait for their commit in audit_pending, which only record() and the chaining touch
                "insert into referral_audit.audit_pending (at, actor_subject, action, resource_type, outcome)"
                        + " values (now(), 'x', 'x', 'x', 'ALLOWED')",
                "delete from referral_audit.audit_pending",
                "alter table referral_audit.audit_pending disable trigger all",
                "select referral_audit.chain_pending()",
                // record() refuses a malformed entry
                "select referral_audit.record(now(), 'x', null, 'x', 'x', null, '{}', 'MAYBE')",
                "select referral_audit.record(now(), null, null, 'x', 'x', null, '{}', 'ALLOWED')",
                // append() refuses an entry that does not chain onto the head: no fork
                "select referral_audit.append(now(), 'x', null, 'x', 'x', null, '{}', 'ALLOWED', '" + AuditLog.GENESIS
                        + "', '" + "a".repeat(64) + "')",
                // purge() refuses what is younger than the database's own minimum retention
                "select referral_audit.purge(" + head + ", (select hash from " + TABLE + " where seq = " + head
                        + "), now())");
        try (Connection c = asService();
                Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            for (String sql : attempts) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class);
            }
            try (ResultSet rs = st.executeQuery("select count(*) from " + TABLE + " where seq = " + head)) {
                assertThat(rs.next() && rs.getLong(1) == 1)
                        .as("reading stays allowed")
                        .isTrue();
            }
        }
        assertThat(audit.head().orElseThrow().seq())
                .as("nothing was appended by the refused statements")
                .isEqualTo(head);
        someEntries(1);
        assertThat(audit.head().orElseThrow().seq())
                .as("the service still appends")
                .isGreaterThan(head);
        assertThat(audit.verify(null).intact()).isTrue();
    }

    @Test
    void lock_head_holds_the_chains_lock_and_gives_the_hash_the_next_entry_chains_onto() throws Exception {
        someEntries(1);
        var before = audit.head().orElseThrow();
        try (Connection c = asService();
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery("select referral_audit.lock_head()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(before.hash());
            }
            // while this transaction holds the lock, the service's next entry waits for it
            var appended = java.util.concurrent.CompletableFuture.runAsync(() -> someEntries(1));
            Thread.sleep(1500);
            assertThat(appended).as("an append while the lock is held").isNotDone();
            assertThat(audit.head().orElseThrow().seq()).isEqualTo(before.seq());
            c.rollback();
            appended.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        try (Connection c = asService();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "select prev_hash from " + TABLE + " where seq > " + before.seq() + " order by seq limit 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1))
                    .as("the next entry chains onto that head")
                    .isEqualTo(before.hash());
        }
        assertThat(audit.verify(null).intact()).isTrue();
    }

    /**
     * What the service sends since #18: {@code record()} in its transaction, nothing chained and no lock held until
     * the commit, then every entry chained onto the head inside the commit; a rollback leaves nothing behind.
     */
    @Test
    void recorded_entries_are_chained_when_their_transaction_commits_and_not_before() throws Exception {
        someEntries(1);
        var before = audit.head().orElseThrow();
        UUID org = UUID.randomUUID();
        String record = "select referral_audit.record(now(), 'test-subject', '" + org
                + "', 'test.recorded', 'referral', ?, '{}', 'ALLOWED')";
        try (Connection c = asService();
                Connection observer = asSuperuser();
                Statement watch = observer.createStatement()) {
            c.setAutoCommit(false);
            for (String id : List.of("first", "second")) {
                try (var st = c.prepareStatement(record)) {
                    st.setString(1, id);
                    st.executeQuery().close();
                }
            }
            int pid;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            assertThat(scalar(watch, "select count(*) from pg_locks where locktype = 'advisory' and pid = " + pid))
                    .as("no lock on the chain before the commit")
                    .isEqualTo("0");
            assertThat(audit.head().orElseThrow()).as("nothing chained yet").isEqualTo(before);
            c.commit();

            assertThat(scalar(
                            watch,
                            "select string_agg(resource_id, ',' order by seq) from " + TABLE + " where seq > "
                                    + before.seq() + " and actor_org = '" + org + "'"))
                    .isEqualTo("first,second");
            assertThat(scalar(watch, "select prev_hash from " + TABLE + " where seq = " + (before.seq() + 1)))
                    .as("the first chains onto the head before it")
                    .isEqualTo(before.hash());
            var head = audit.head().orElseThrow();

            try (var st = c.prepareStatement(record)) {
                st.setString(1, "rolled-back");
                st.executeQuery().close();
            }
            c.rollback();
            assertThat(audit.head().orElseThrow())
                    .as("a rollback chains nothing")
                    .isEqualTo(head);
            assertThat(scalar(watch, "select count(*) from referral_audit.audit_pending"))
                    .as("nothing waits outside a transaction")
                    .isEqualTo("0");
        }
        assertThat(audit.verify(null).intact()).isTrue();
    }

    /** Transactions recording at once, on connections of their own: one chain, in the order of its sequence numbers. */
    @Test
    void concurrent_transactions_chain_without_a_fork() throws Exception {
        someEntries(1);
        long before = audit.head().orElseThrow().seq();
        int threads = 6;
        int transactions = 20;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    try (Connection c = asService();
                            var st = c.prepareStatement("select referral_audit.record(clock_timestamp(),"
                                    + " 'test-subject', null, 'test.concurrent', 'referral', null, '{}', 'ALLOWED')")) {
                        c.setAutoCommit(false);
                        for (int i = 0; i < transactions; i++) {
                            st.executeQuery().close();
                            st.executeQuery().close();
                            c.commit();
                        }
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = asSuperuser();
                Statement st = c.createStatement()) {
            assertThat(scalar(
                            st,
                            "select count(*) from " + TABLE + " where seq > " + before
                                    + " and action = 'test.concurrent'"))
                    .isEqualTo(Integer.toString(2 * threads * transactions));
        }
        var verification = audit.verify(null);
        assertThat(verification.status()).isEqualTo(AuditLog.Status.INTACT);
    }

    /**
     * The database computes the hashes that the service verifies: both must agree byte for byte, on times with and
     * without fractions, missing organisations and ids, text beyond ASCII and organisation lists. Seeded, so that a
     * failure can be replayed.
     */
    @Test
    void the_database_hashes_an_entry_as_the_service_verifies_it() throws Exception {
        var random = new java.util.Random(18);
        String[] alphabet = {"a", "Z", "0", "-", ".", "é", "ß", "ş", "ж", "ع", "€", "✓", "日", "😀", " ", "'", "\\"};
        try (Connection c = asSuperuser();
                var st = c.prepareStatement("select referral_audit.entry_hash(?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < 300; i++) {
                String prev =
                        i % 2 == 0 ? AuditLog.GENESIS : java.util.HexFormat.of().formatHex(bytes(random, 32));
                long micros = switch (i % 3) {
                    case 0 -> 0;
                    case 1 -> random.nextInt(1000) * 1000L;
                    default -> random.nextInt(1_000_000);
                };
                Instant at = Instant.ofEpochSecond(1_500_000_000L + random.nextInt(500_000_000), micros * 1000);
                StringBuilder subject = new StringBuilder("test-");
                for (int k = random.nextInt(12); k > 0; k--) {
                    subject.append(alphabet[random.nextInt(alphabet.length)]);
                }
                UUID org = random.nextBoolean() ? null : new UUID(random.nextLong(), random.nextLong());
                String id = random.nextBoolean() ? null : "id-" + subject.substring(5);
                UUID[] concerned = new UUID[random.nextInt(4)];
                for (int k = 0; k < concerned.length; k++) {
                    concerned[k] = new UUID(random.nextLong(), random.nextLong());
                }
                var outcome = random.nextBoolean() ? AuditEntry.Outcome.ALLOWED : AuditEntry.Outcome.DENIED;
                st.setString(1, prev);
                st.setObject(2, at.atOffset(java.time.ZoneOffset.UTC));
                st.setString(3, subject.toString());
                st.setObject(4, org, java.sql.Types.OTHER);
                st.setString(5, "test.action-" + i);
                st.setString(6, "referral");
                st.setString(7, id);
                st.setString(8, outcome.name());
                st.setArray(9, c.createArrayOf("uuid", concerned));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1))
                            .as("entry %d at %s, subject %s", i, at, subject)
                            .isEqualTo(AuditLog.hash(
                                    prev,
                                    at,
                                    subject.toString(),
                                    org,
                                    "test.action-" + i,
                                    "referral",
                                    id,
                                    concerned,
                                    outcome));
                }
            }
        }
    }

    private static byte[] bytes(java.util.Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void a_changed_row_is_detected_against_the_anchor() throws Exception {
        someEntries(3);
        var anchor = anchoring.anchorNow().anchor().orElseThrow();
        someEntries(2);
        long before = anchor.seq() - 1;
        long after = audit.head().orElseThrow().seq();
        try (Connection c = asSuperuser();
                Statement st = c.createStatement()) {
            // a row the anchor covers: the daily full verification finds it
            String outcome = flip(st, before);
            try {
                var full = anchoring.verifyAll();
                assertThat(full.status()).isEqualTo(AuditLog.Status.BROKEN);
                assertThat(full.firstBrokenSeq()).isEqualTo(before);
                Referrals.auditVerification(realm.coordinatorToken())
                        .statusCode(200)
                        .body("intact", equalTo(false))
                        .body("status", equalTo("BROKEN"));
                assertThat(topic.latest("referral-service" + AnchorTopic.BROKEN_SUFFIX))
                        .get()
                        .asString()
                        .contains("\"status\":\"BROKEN\"")
                        .contains("\"firstBrokenSeq\":" + before);
            } finally {
                set(st, before, outcome);
            }
            // a row after the anchor: the hourly run, incremental from the anchor, finds it and anchors nothing
            outcome = flip(st, after);
            try {
                var run = anchoring.anchorNow();
                assertThat(run.verification().status()).isEqualTo(AuditLog.Status.BROKEN);
                assertThat(run.verification().firstBrokenSeq()).isEqualTo(after);
                assertThat(run.anchor()).isEmpty();
                assertThat(anchoring.lastAnchor().orElseThrow().seq()).isEqualTo(anchor.seq());
            } finally {
                set(st, after, outcome);
            }
        }
        assertThat(anchoring.verifyAll().intact()).isTrue();
        assertThat(anchoring.anchorNow().anchor()).isPresent();
    }

    /** Changes the outcome of entry {@code seq} as the superuser and returns the old one. */
    private static String flip(Statement st, long seq) throws SQLException {
        String outcome = scalar(st, "select outcome from " + TABLE + " where seq = " + seq);
        set(st, seq, "ALLOWED".equals(outcome) ? "DENIED" : "ALLOWED");
        return outcome;
    }

    private static void set(Statement st, long seq, String outcome) throws SQLException {
        withTriggersOff(
                st, () -> st.executeUpdate("update " + TABLE + " set outcome = '" + outcome + "' where seq = " + seq));
    }

    @Test
    void a_deleted_tail_is_detected_as_truncated() throws Exception {
        someEntries(3);
        var anchor = anchoring.anchorNow().anchor().orElseThrow();
        long from = anchor.seq() - 1;
        try (Connection c = asSuperuser();
                Statement st = c.createStatement()) {
            List<String> saved = saveRows(st, "seq >= " + from);
            withTriggersOff(st, () -> st.executeUpdate("delete from " + TABLE + " where seq >= " + from));
            try {
                var incremental = anchoring.anchorNow();
                assertThat(incremental.verification().status()).isEqualTo(AuditLog.Status.TRUNCATED);
                assertThat(incremental.anchor()).isEmpty();
                var full = anchoring.verifyAll();
                assertThat(full.status()).isEqualTo(AuditLog.Status.TRUNCATED);
                assertThat(full.firstBrokenSeq()).isEqualTo(from);
                assertThat(audit.verify(null).intact())
                        .as("without the anchor the shorter chain looks whole")
                        .isTrue();
            } finally {
                restore(st, saved);
            }
        }
        assertThat(anchoring.verifyAll().intact()).isTrue();
    }

    @Test
    void a_rechained_forgery_of_the_whole_table_is_detected() throws Exception {
        someEntries(3);
        var anchor = anchoring.anchorNow().anchor().orElseThrow();
        try (Connection c = asSuperuser();
                Statement st = c.createStatement()) {
            List<String> saved = saveRows(st, "true");
            List<AuditEntry> entries = new ArrayList<>();
            long first;
            String prev;
            try (ResultSet rs = st.executeQuery("select min(seq) from " + TABLE)) {
                rs.next();
                first = rs.getLong(1);
            }
            prev = first == 1
                    ? AuditLog.GENESIS
                    : scalar(
                            st,
                            "select coalesce((select hash from referral_audit.audit_purge" + " where seq = "
                                    + (first - 1) + "), '" + AuditLog.GENESIS + "')");
            try (ResultSet rs =
                    st.executeQuery("select seq, at, actor_subject, actor_org, action, resource_type, resource_id,"
                            + " concerned_orgs, outcome from " + TABLE + " order by seq")) {
                while (rs.next()) {
                    UUID[] orgs = (UUID[]) rs.getArray(8).getArray();
                    entries.add(new AuditEntry(
                            rs.getLong(1),
                            rs.getTimestamp(2).toInstant(),
                            rs.getString(3),
                            (UUID) rs.getObject(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            List.of(orgs),
                            AuditEntry.Outcome.valueOf(rs.getString(9)),
                            null,
                            null));
                }
            }
            // every entry becomes one of someone else, and the whole chain is computed again from its start
            withTriggersOff(st, () -> st.execute("delete from " + TABLE));
            try {
                for (AuditEntry e : entries) {
                    String hash = AuditLog.hash(
                            prev,
                            e.at(),
                            "forger",
                            e.actorOrganisation(),
                            e.action(),
                            e.resourceType(),
                            e.resourceId(),
                            e.concernedOrganisations().toArray(UUID[]::new),
                            e.outcome());
                    try (var ps = c.prepareStatement("insert into " + TABLE + " (" + COLUMNS
                            + ") overriding system value" + " values (?, ?, 'forger', ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        ps.setLong(1, e.seq());
                        ps.setTimestamp(2, java.sql.Timestamp.from(e.at()));
                        ps.setObject(3, e.actorOrganisation());
                        ps.setString(4, e.action());
                        ps.setString(5, e.resourceType());
                        ps.setString(6, e.resourceId());
                        ps.setArray(
                                7,
                                c.createArrayOf(
                                        "uuid", e.concernedOrganisations().toArray()));
                        ps.setString(8, e.outcome().name());
                        ps.setString(9, prev);
                        ps.setString(10, hash);
                        ps.executeUpdate();
                    }
                    prev = hash;
                }
                assertThat(audit.verify(null).intact())
                        .as("the forgery holds in itself")
                        .isTrue();
                var full = anchoring.verifyAll();
                assertThat(full.status()).isEqualTo(AuditLog.Status.BROKEN);
                assertThat(full.firstBrokenSeq()).isEqualTo(anchor.seq());
                var incremental = anchoring.anchorNow();
                assertThat(incremental.verification().status()).isEqualTo(AuditLog.Status.BROKEN);
                assertThat(incremental.anchor())
                        .as("a forgery is never anchored")
                        .isEmpty();
            } finally {
                withTriggersOff(st, () -> st.execute("delete from " + TABLE));
                restore(st, saved);
            }
        }
        assertThat(anchoring.verifyAll().intact()).isTrue();
    }

    @Test
    void a_retention_purge_up_to_an_anchor_leaves_a_chain_that_verifies() throws Exception {
        someEntries(2);
        var anchor = anchoring.anchorNow().anchor().orElseThrow();
        someEntries(2);
        try (Connection c = asSuperuser();
                Statement st = c.createStatement()) {
            st.execute("update referral_audit.audit_settings set min_retention = interval '0'");
            try {
                long purged = anchoring.purge(Period.ZERO);
                assertThat(purged).isPositive();
                assertThat(scalar(st, "select min(seq) from " + TABLE)).isEqualTo(Long.toString(anchor.seq() + 1));
            } finally {
                st.execute("update referral_audit.audit_settings set min_retention = interval '1 year'");
            }
        }
        assertThat(anchoring.verifyAll().intact()).isTrue();
        Referrals.auditVerification(realm.coordinatorToken()).statusCode(200).body("intact", equalTo(true));
        someEntries(1);
        var run = anchoring.anchorNow();
        assertThat(run.verification().intact()).isTrue();
        assertThat(run.anchor()).isPresent();
        // with the database's minimum retention back at a year, nothing younger goes, whatever the service asks
        assertThatThrownBy(() -> anchoring.purge(Period.ZERO)).hasStackTraceContaining("minimum retention");
    }

    @Test
    void the_coordinator_sees_the_published_anchor_and_others_do_not() {
        someEntries(1);
        var anchor = anchoring.anchorNow().anchor().orElseThrow();
        given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .get("/api/v1/audit/anchors")
                .then()
                .statusCode(200)
                .body("service", equalTo("referral-service"))
                .body("published.seq", equalTo((int) anchor.seq()))
                .body("published.hash", equalTo(anchor.hash()))
                .body("recorded[0].seq", equalTo((int) anchor.seq()))
                .body("recorded[0].signatureValid", equalTo(true));
        // the age of the newest anchor is a metric, which the platform's alert reads
        // (deploy/kubernetes/monitoring.yaml)
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        double age = metrics.lines()
                .filter(l -> l.startsWith("tandem_audit_anchor_age_seconds"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no tandem_audit_anchor_age_seconds in /q/metrics"));
        double sinceSigned = Duration.between(anchor.signedAt(), Instant.now()).toMillis() / 1000.0;
        assertThat(age).as("seconds since the anchor just published").isBetween(0.0, sinceSigned + 2);
        given().auth()
                .oauth2(realm.tokenWithoutOrganisation("caseworker"))
                .when()
                .get("/api/v1/audit/anchors")
                .then()
                .statusCode(403);
    }

    @Test
    void refusals_are_audited_and_a_probe_cannot_flood_the_log() throws Exception {
        // a caseworker without an organisation asks for the coordinators' statistics: 403, written once per request
        String token = realm.tokenWithoutOrganisation("caseworker");
        long before = audit.head().orElseThrow().seq();
        long firstMinute = java.time.Instant.now().getEpochSecond() / 60;
        for (int i = 0; i < 45; i++) {
            Coordination.statistics(token, "2031").statusCode(403);
        }
        String count = "select count(*) from " + TABLE + " where seq > " + before
                + " and action = 'request.forbidden' and outcome = 'DENIED'"
                + " and resource_type = 'GET /api/v1/coordination/statistics'";
        try (Connection c = asSuperuser();
                Statement st = c.createStatement()) {
            // a refusal made on the event loop is written on a worker thread, just after the answer
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> Long.parseLong(scalar(st, count)) >= 15);
            Thread.sleep(1500);
            long written = Long.parseLong(scalar(st, count));
            long minutes = java.time.Instant.now().getEpochSecond() / 60 - firstMinute + 1;
            // at most 20 per subject and minute (other tests may have used part of the first minute)
            assertThat(written).isGreaterThanOrEqualTo(15L).isLessThanOrEqualTo(20L * minutes);
            if (minutes <= 2) {
                assertThat(written).as("fewer entries than refusals").isLessThan(45L);
            }
        }
        assertThat(audit.verify(null).intact()).isTrue();
    }

    @Test
    void a_scheduled_job_runs_once_across_instances() throws Exception {
        String name = "test.lease." + UUID.randomUUID();
        assertThat(lease.acquire(name, Duration.ofMillis(800))).isTrue();
        assertThat(lease.acquire(name, Duration.ofMillis(800)))
                .as("held until it expires")
                .isFalse();
        Thread.sleep(1200);
        assertThat(lease.acquire(name, Duration.ofMinutes(1)))
                .as("free again after it expired")
                .isTrue();
    }

    private interface SqlRun {
        void run() throws SQLException;
    }

    private static void withTriggersOff(Statement st, SqlRun run) throws SQLException {
        st.execute("alter table " + TABLE + " disable trigger user");
        try {
            run.run();
        } finally {
            st.execute("alter table " + TABLE + " enable trigger user");
        }
    }

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The rows as insert statements, to put them back afterwards. */
    private static List<String> saveRows(Statement st, String where) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs =
                st.executeQuery("select format('insert into " + TABLE + " (" + COLUMNS + ") overriding system value"
                        + " values (%s, %L, %L, %L, %L, %L, %L, %L, %L, %L, %L)', seq, at, actor_subject, actor_org, action,"
                        + " resource_type, resource_id, concerned_orgs, outcome, prev_hash, hash) from " + TABLE
                        + " where " + where
                        + " order by seq")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void restore(Statement st, List<String> inserts) throws SQLException {
        for (String insert : inserts) {
            st.execute(insert);
        }
    }
}
