package org.tandem.registry.persistence;

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
 * The SQL of registry-service's retention (docs/retention.md): the bounded deletes of its job and the counts of
 * its report. The registry's read model of accepted referrals is the address disclosures.
 */
@ApplicationScoped
public class RegistryRetentionRepository {

    @Inject
    EntityManager em;

    @Inject
    RetentionCounts counts;

    /** Deletes up to {@code limit} address disclosures granted before {@code cutoff}, skipping locked rows. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int deleteDisclosuresGrantedBefore(Instant cutoff, int limit) {
        return em.createNativeQuery("""
                delete from address_disclosure where (organisation_id, grantee_organisation_id, referral_id) in (
                    select organisation_id, grantee_organisation_id, referral_id from address_disclosure
                    where granted_at < :cutoff limit :n for update skip locked)""")
                .setParameter("cutoff", cutoff)
                .setParameter("n", limit)
                .executeUpdate();
    }

    /**
     * The report's rows: every address disclosure for a coordinator ({@code org} null); for an org-admin those of
     * her organisation's address or granted to her organisation. Then the audit log.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<RetentionReport.Row> report(RetentionPolicy policy, Instant now, UUID org) {
        return List.of(
                counts.row(
                        policy, RetentionKind.READ_MODELS, now, org, """
                        select min(granted_at), count(*) filter (where granted_at < :cutoff) from address_disclosure
                        where :all or organisation_id = :org or grantee_organisation_id = :org""", "retention job: address disclosures deleted"),
                counts.auditLog(policy, now, org));
    }
}
