package org.tandem.referral.retention;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
 * The retention report of referral-service (docs/retention.md): for each kind of record it keeps, the period,
 * the oldest record still held and how many are past the period. A coordinator sees the whole network; an
 * org-admin sees the records of referrals her organisation sent or received, and her organisation's keys.
 */
@Path("/api/v1/retention/report")
@RateLimited
@RolesAllowed({Roles.COORDINATOR, Roles.ORG_ADMIN})
public class RetentionResource {

    static final String PARTY = "(:all or r.sender_org = :org or r.receiver_org = :org)";

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
        List<RetentionReport.Row> rows = new ArrayList<>();
        rows.add(counts.row(
                policy,
                RetentionKind.CASE_FILE_COMPLETED,
                now,
                org,
                """
                select min(r.closed_at), count(*) filter (where r.closed_at < :cutoff)
                from case_file f join referral r on r.id = f.referral_id
                where f.shredded_at is null and r.status = 'COMPLETED' and""" + " " + PARTY,
                "retention job: crypto-shredding"));
        rows.add(counts.row(
                policy,
                RetentionKind.CASE_FILE_CONSENT_EXPIRED,
                now,
                org,
                """
                select min(c.expires_at), count(*) filter (where c.expires_at < :cutoff)
                from case_file f join consent c on c.referral_id = f.referral_id join referral r on r.id = f.referral_id
                where f.shredded_at is null and c.expires_at <= :now and""" + " " + PARTY,
                "retention job: WITHDRAWN and crypto-shredding"));
        rows.add(counts.row(
                policy,
                RetentionKind.REFERRAL_PERSONAL_DATA,
                now,
                org,
                """
                select min(r.closed_at), count(*) filter (where r.closed_at < :cutoff)
                from referral r where r.status in """ + ReferralRetention.CLOSED + """
                 and r.anonymised_at is null and""" + " " + PARTY,
                "retention job: anonymised, statistics codes kept"));
        rows.add(counts.row(
                policy,
                RetentionKind.CONSENT_RECORD,
                now,
                org,
                """
                select min(r.closed_at), count(*) filter (where r.closed_at < :cutoff)
                from consent c join referral r on r.id = c.referral_id where r.status in """ + ReferralRetention.CLOSED + " and " + PARTY,
                "retention job: deleted"));
        rows.add(counts.row(
                policy, RetentionKind.DELETION_RECEIPTS, now, org, """
                select min(d.received_at), count(*) filter (where d.received_at < :cutoff)
                from deletion_receipt d join referral r on r.id = d.referral_id where""" + " " + PARTY, "retention job: deleted"));
        rows.add(counts.row(policy, RetentionKind.READ_MODELS, now, org, """
                select min(k.expires_at), count(*) filter (where k.expires_at < :cutoff)
                from known_organisation_key k where k.expires_at <= :now and (:all or k.organisation_id = :org)""", "retention job: deleted"));
        if (org == null) { // the hub keys are the network's, not an organisation's
            rows.add(counts.row(
                    policy,
                    RetentionKind.BACKUPS,
                    now,
                    null,
                    """
                    select min(unused_since), count(*) filter (where unused_since < :cutoff)
                    from hub_key_retirement where retired_at is null""",
                    "rewrap-hub-keys: an old hub key is retired once no backup within this period can hold it"));
        }
        rows.add(counts.auditLog(policy, now, org));
        rows.add(RetentionCounts.topic(policy, RetentionKind.KAFKA_REFERRALS));
        audit.allowed("retention.report-read", "retention-report", null, org == null ? new UUID[0] : new UUID[] {org});
        return new RetentionReport("referral-service", now, org, rows);
    }
}
