package org.tandem.notification.retention;

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
 * The retention report of notification-service (docs/retention.md). A coordinator sees every delivery and
 * alert; an org-admin the deliveries to her organisation's endpoints and the alerts addressed to it.
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
                        policy,
                        RetentionKind.WEBHOOK_DELIVERIES,
                        now,
                        org,
                        """
                        select min(coalesce(d.delivered_at, d.dead_at)),
                               count(*) filter (where coalesce(d.delivered_at, d.dead_at) < :cutoff)
                        from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id
                        where d.status in ('DELIVERED', 'DEAD') and (:all or e.organisation_id = :org)""",
                        "retention job: deleted with their attempts"),
                counts.row(
                        policy,
                        RetentionKind.ALERTS,
                        now,
                        org,
                        """
                        select min(created_at), count(*) filter (where created_at < :cutoff) from alert
                        where :all or audience_org = :org""",
                        "retention job: deleted with their e-mail address"),
                counts.auditLog(policy, now, org));
        audit.allowed("retention.report-read", "retention-report", null, org == null ? new UUID[0] : new UUID[] {org});
        return new RetentionReport("notification-service", now, org, rows);
    }
}
