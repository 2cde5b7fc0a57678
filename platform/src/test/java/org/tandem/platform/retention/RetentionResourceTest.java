package org.tandem.platform.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.tandem.platform.audit.AuditLog;
import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.security.Caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared retention report on its own (who sees what, the audit of each read), with fakes for the caller, the
 * audit log and the service's rows. The services' tests check the same through REST against the real stack.
 */
class RetentionResourceTest {

    static final Instant NOW = Instant.parse("2041-03-14T10:00:00Z");
    static final UUID ORG = UUID.fromString("00000000-0000-4000-8000-000000000042");

    static final class FakeCaller extends Caller {
        final boolean coordinator;
        final UUID org;

        FakeCaller(boolean coordinator, UUID org) {
            this.coordinator = coordinator;
            this.org = org;
        }

        @Override
        public boolean isCoordinator() {
            return coordinator;
        }

        @Override
        public UUID requireOrganisation() {
            if (org == null) {
                throw ProblemException.forbidden("no organisation");
            }
            return org;
        }
    }

    static final class FakeAudit extends AuditLog {
        final List<String> entries = new ArrayList<>();

        @Override
        public void allowed(String action, String resourceType, Object resourceId, UUID... concerned) {
            entries.add(action + " " + resourceType + " " + resourceId + " " + List.of(concerned));
        }
    }

    /** Answers one row whose count says for whom it was asked. */
    static final class Rows implements ServiceRetention {
        final List<String> asked = new ArrayList<>();

        @Override
        public String service() {
            return "test-service";
        }

        @Override
        public String job() {
            return "test-retention";
        }

        @Override
        public java.util.Map<RetentionKind, Integer> run(Instant now) {
            throw new AssertionError("the report does not run the job");
        }

        @Override
        public List<RetentionReport.Row> report(Instant now, UUID org) {
            asked.add(now + " " + org);
            return List.of(RetentionReport.row(
                    RetentionPolicy.defaults(), RetentionKind.ALERTS, null, org == null ? 2L : 1L, "test"));
        }
    }

    static RetentionResource resource(Caller caller, FakeAudit audit, Rows rows) {
        RetentionResource r = new RetentionResource();
        r.caller = caller;
        r.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        r.retention = rows;
        r.audit = audit;
        return r;
    }

    @Test
    void a_coordinator_gets_the_whole_network_and_the_read_is_audited() {
        FakeAudit audit = new FakeAudit();
        Rows rows = new Rows();
        RetentionReport report =
                resource(new FakeCaller(true, null), audit, rows).report();

        assertThat(report.service()).isEqualTo("test-service");
        assertThat(report.at()).isEqualTo(NOW);
        assertThat(report.organisation()).isNull();
        assertThat(report.kinds()).singleElement().satisfies(row -> {
            assertThat(row.kind()).isEqualTo("alerts");
            assertThat(row.period()).isEqualTo("P90D");
            assertThat(row.pastPeriod()).isEqualTo(2L);
        });
        assertThat(rows.asked).containsExactly(NOW + " null");
        assertThat(audit.entries).containsExactly("retention.report-read retention-report null []");
    }

    @Test
    void an_org_admin_gets_her_organisation_only_and_the_read_names_it() {
        FakeAudit audit = new FakeAudit();
        Rows rows = new Rows();
        RetentionReport report =
                resource(new FakeCaller(false, ORG), audit, rows).report();

        assertThat(report.organisation()).isEqualTo(ORG);
        assertThat(report.kinds())
                .singleElement()
                .satisfies(row -> assertThat(row.pastPeriod()).isEqualTo(1L));
        assertThat(rows.asked).containsExactly(NOW + " " + ORG);
        assertThat(audit.entries).containsExactly("retention.report-read retention-report null [" + ORG + "]");
    }

    @Test
    void a_caller_without_an_organisation_is_refused_before_anything_is_counted_or_audited() {
        FakeAudit audit = new FakeAudit();
        Rows rows = new Rows();
        RetentionResource resource = resource(new FakeCaller(false, null), audit, rows);

        assertThatThrownBy(resource::report).isInstanceOf(ProblemException.class);
        assertThat(rows.asked).isEmpty();
        assertThat(audit.entries).isEmpty();
    }
}
