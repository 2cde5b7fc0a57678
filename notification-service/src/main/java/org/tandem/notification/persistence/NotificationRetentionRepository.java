package org.tandem.notification.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.tandem.platform.retention.RetentionCounts;
import org.tandem.platform.retention.RetentionKind;
import org.tandem.platform.retention.RetentionPolicy;
import org.tandem.platform.retention.RetentionReport;

/**
 * The SQL of notification-service's retention (docs/retention.md): the bounded deletes of its job (finished
 * webhook deliveries with their attempts, alerts) and the counts of its report. A pending delivery is never
 * deleted, however old.
 */
@ApplicationScoped
public class NotificationRetentionRepository {

    @Inject
    EntityManager em;

    @Inject
    RetentionCounts counts;

    /**
     * Deletes up to {@code limit} deliveries that were delivered or dead-lettered before {@code cutoff}, with their
     * attempts, skipping locked rows; returns how many deliveries.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int deleteFinishedDeliveriesBefore(Instant cutoff, int limit) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = em.createNativeQuery("""
                select id from webhook_delivery
                where status in ('DELIVERED', 'DEAD') and coalesce(delivered_at, dead_at) < :cutoff
                order by id limit :n for update skip locked""")
                .setParameter("cutoff", cutoff)
                .setParameter("n", limit)
                .getResultList();
        if (!ids.isEmpty()) {
            em.createNativeQuery("delete from webhook_attempt where delivery_id in (:ids)")
                    .setParameter("ids", ids)
                    .executeUpdate();
            em.createNativeQuery("delete from webhook_delivery where id in (:ids)")
                    .setParameter("ids", ids)
                    .executeUpdate();
        }
        return ids.size();
    }

    /** Deletes up to {@code limit} alerts (with the address their e-mail went to) created before {@code cutoff}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int deleteAlertsCreatedBefore(Instant cutoff, int limit) {
        return em.createNativeQuery("""
                delete from alert where seq in (
                    select seq from alert where created_at < :cutoff order by seq limit :n for update skip locked)""")
                .setParameter("cutoff", cutoff)
                .setParameter("n", limit)
                .executeUpdate();
    }

    /**
     * The report's rows: every delivery and alert for a coordinator ({@code org} null); for an org-admin the
     * deliveries to her organisation's endpoints and the alerts addressed to it. Then the audit log.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<RetentionReport.Row> report(RetentionPolicy policy, Instant now, UUID org) {
        return List.of(
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
    }
}
