package org.tandem.platform.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import org.tandem.devstack.Endpoints;
import org.tandem.referral.support.Coordination;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit chain on a database whose administrator has not yet run the audit-owner.sql that brought
 * {@code record()} (docs/privacy.md, "Audit trust model"): the service chains each entry itself, under the chain's
 * lock, through {@code append()}, which refuses an entry that does not chain onto the head. The test takes
 * {@code record()} away (renames it, as a superuser) for its duration and makes {@link AuditLog} ask again; it lives
 * in {@code AuditLog}'s package for that one call. Audited requests go through the service's public API.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class AuditFallbackTest {

    private static final String ARGUMENTS = "(timestamptz, text, uuid, text, text, text, uuid[], text)";
    private static final String RECORD = "referral_audit.record" + ARGUMENTS;
    private static final String WITHHELD = "referral_audit.record_withheld" + ARGUMENTS;

    @Inject
    AuditLog audit;

    private final KeycloakRealm realm = KeycloakRealm.get();

    private static Connection asSuperuser() throws SQLException {
        Endpoints e = TestInfrastructure.endpoints();
        return DriverManager.getConnection(e.jdbcUrl(), e.superuser(), e.superuserPassword());
    }

    /** One audited request: a coordinator's statistics read. */
    private static void auditedRead(String token) {
        Coordination.statistics(token, "2031").statusCode(200);
    }

    @Test
    void without_record_the_service_chains_its_entries_itself_and_the_chain_holds() throws Exception {
        // one token for every request: the concurrent ones below must not each log in
        String token = realm.coordinatorToken();
        auditedRead(token);
        try (Connection su = asSuperuser();
                Statement st = su.createStatement()) {
            st.execute("alter function " + RECORD + " rename to record_withheld");
            try {
                audit.forgetDatabaseFunctions();
                long before = audit.head().orElseThrow().seq();

                auditedRead(token);
                auditedRead(token);
                assertThat(scalar(st, reads(before)))
                        .as("each audited request appended its entry at once, in its own transaction")
                        .isEqualTo("2");

                int threads = 4;
                int each = 5;
                var pool = Executors.newFixedThreadPool(threads);
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        done.add(pool.submit(() -> {
                            for (int i = 0; i < each; i++) {
                                auditedRead(token);
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                }

                assertThat(scalar(st, reads(before)))
                        .as("every audited request of the concurrent ones has its entry: none refused as a fork")
                        .isEqualTo(Integer.toString(2 + threads * each));
                assertThat(scalar(
                                st,
                                "select count(*) from referral_audit.audit_log a join referral_audit.audit_log b"
                                        + " on b.seq = a.seq + 1 where a.seq >= " + before
                                        + " and b.prev_hash <> a.hash"))
                        .as("each entry chains onto the one before it")
                        .isEqualTo("0");
                assertThat(scalar(st, "select count(*) from referral_audit.audit_pending"))
                        .as("nothing went the way of record()")
                        .isEqualTo("0");
                assertThat(audit.verify(null).status())
                        .as("the service's hashes verify")
                        .isEqualTo(AuditLog.Status.INTACT);
            } finally {
                st.execute("alter function " + WITHHELD + " rename to record");
                audit.forgetDatabaseFunctions();
            }
        }

        long before = audit.head().orElseThrow().seq();
        auditedRead(token);
        try (Connection su = asSuperuser();
                Statement st = su.createStatement()) {
            assertThat(scalar(st, reads(before)))
                    .as("with record() back, an audited request still has its entry")
                    .isEqualTo("1");
        }
        assertThat(audit.verify(null).intact()).isTrue();
    }

    /**
     * How many statistics reads were audited after {@code seq}: counted by their action, since a scheduled job of the
     * service (retention, say) may append an entry of its own meanwhile.
     */
    private static String reads(long seq) {
        return "select count(*) from referral_audit.audit_log where seq > " + seq + " and action = 'statistics.read'";
    }

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
