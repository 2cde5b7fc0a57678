package org.tandem.registry.retention;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import org.tandem.platform.audit.AuditLog;
import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.retention.RetentionCounts;
import org.tandem.platform.retention.RetentionKind;
import org.tandem.platform.retention.RetentionPolicy;
import org.tandem.platform.retention.RetentionReport;
import org.tandem.platform.security.Caller;
import org.tandem.platform.security.Roles;

/**
 * The retention report of registry-service (docs/retention.md). A coordinator sees every address disclosure;
 * an org-admin those of her organisation's address or granted to her organisation.
 */
@Path("/api/v1/retention/report")
@RateLimited
@RolesAllowed({Roles.COORDINATOR, Roles.ORG_ADMIN})
public class RetentionResource {

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    @Inject
    RetentionPolicy policy;

    @Inject
    RetentionCounts counts;

    @Inject
    AuditLog audit;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Retention report: per kind of record, the period, the oldest record and how many are past the period")
    @Transactional
    public RetentionReport report() {
        UUID org = caller.isCoordinator() ? null : caller.requireOrganisation();
        Instant now = clock.instant();
        List<RetentionReport.Row> rows = List.of(
                counts.row(
                        policy, RetentionKind.READ_MODELS, now, org, """
                        select min(granted_at), count(*) filter (where granted_at < :cutoff) from address_disclosure
                        where :all or organisation_id = :org or grantee_organisation_id = :org""", "retention job: address disclosures deleted"),
                counts.auditLog(policy, now, org));
        audit.allowed("retention.report-read", "retention-report", null, org == null ? new UUID[0] : new UUID[] {org});
        return new RetentionReport("registry-service", now, org, rows);
    }
}
