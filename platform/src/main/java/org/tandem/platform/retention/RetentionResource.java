package org.tandem.platform.retention;

import java.time.Clock;
import java.time.Instant;
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
import org.tandem.platform.security.Caller;
import org.tandem.platform.security.Roles;

/**
 * Every service's retention report (docs/retention.md): for each kind of record the service keeps, the period,
 * the oldest record still held and how many are past the period. A coordinator sees the whole network; an
 * org-admin the records of her organisation (which those are is the service's {@link ServiceRetention#report}).
 * Each read is audited.
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
    ServiceRetention retention;

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
        RetentionReport report = new RetentionReport(retention.service(), now, org, retention.report(now, org));
        audit.allowed("retention.report-read", "retention-report", null, org == null ? new UUID[0] : new UUID[] {org});
        return report;
    }
}
