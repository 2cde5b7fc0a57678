package org.tandem.referral.persistence;

import java.time.Instant;
import java.util.ArrayList;
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
 * The SQL of referral-service's retention (docs/retention.md): the bounded selects, deletes and updates of its job
 * and the counts of its report. Each select takes at most {@code limit} rows and locks them (the referral's row
 * where a referral is concerned, as a release does), skipping rows that another transaction holds: the next run
 * takes them. Every method runs in the caller's transaction.
 */
@ApplicationScoped
public class ReferralRetentionRepository {

    /** The states of a closed referral. */
    static final String CLOSED = "('COMPLETED', 'DECLINED', 'CANCELLED', 'WITHDRAWN')";
    /** The open states of a submitted referral, whose consent's expiry withdraws it. */
    static final String OPEN_SUBMITTED = "('SUBMITTED', 'ACKNOWLEDGED', 'ACCEPTED', 'IN_PROGRESS')";
    /** An org-admin's share of the report: the referrals her organisation sent or received. */
    static final String PARTY = "(:all or r.sender_org = :org or r.receiver_org = :org)";

    @Inject
    EntityManager em;

    @Inject
    RetentionCounts counts;

    /** Open submitted referrals whose consent, not withdrawn, expired before {@code cutoff}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> lockOpenWithExpiredConsent(Instant cutoff, int limit) {
        return ids("""
                select r.id from referral r join consent c on c.referral_id = r.id
                where r.status in %s and c.withdrawn_at is null and c.expires_at < :cutoff
                order by r.id limit :n for update of r skip locked""".formatted(OPEN_SUBMITTED), cutoff, limit);
    }

    /** Referrals with a case file not yet shredded whose consent expired before {@code cutoff}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> lockCaseFilesWithConsentExpiredBefore(Instant cutoff, int limit) {
        return ids("""
                select f.referral_id from case_file f join consent c on c.referral_id = f.referral_id
                    join referral r on r.id = f.referral_id
                where f.shredded_at is null and c.expires_at < :cutoff
                order by f.referral_id limit :n for update of r skip locked""", cutoff, limit);
    }

    /** Completed referrals, closed before {@code cutoff}, whose case file is not yet shredded. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> lockCaseFilesCompletedBefore(Instant cutoff, int limit) {
        return ids("""
                select f.referral_id from case_file f join referral r on r.id = f.referral_id
                where f.shredded_at is null and r.status = 'COMPLETED' and r.closed_at < :cutoff
                order by f.referral_id limit :n for update of r skip locked""", cutoff, limit);
    }

    /** Closed referrals, closed before {@code cutoff}, not yet anonymised, whose case file (if any) is shredded. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> lockClosedToAnonymise(Instant cutoff, int limit) {
        return ids("""
                select r.id from referral r
                where r.status in %s and r.closed_at < :cutoff and r.anonymised_at is null
                  and not exists (select 1 from case_file f where f.referral_id = r.id and f.shredded_at is null)
                order by r.id limit :n for update of r skip locked""".formatted(CLOSED), cutoff, limit);
    }

    /** The consent records of referrals closed before {@code cutoff}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> lockConsentsClosedBefore(Instant cutoff, int limit) {
        return ids("""
                select c.referral_id from consent c join referral r on r.id = c.referral_id
                where r.status in %s and r.closed_at < :cutoff
                order by c.referral_id limit :n for update of c skip locked""".formatted(CLOSED), cutoff, limit);
    }

    /** The deletion receipts received before {@code cutoff}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> lockDeletionReceiptsBefore(Instant cutoff, int limit) {
        return ids("""
                select referral_id from deletion_receipt where received_at < :cutoff
                order by referral_id limit :n for update skip locked""", cutoff, limit);
    }

    private List<UUID> ids(String select, Instant cutoff, int limit) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = em.createNativeQuery(select)
                .setParameter("cutoff", cutoff)
                .setParameter("n", limit)
                .getResultList();
        return ids;
    }

    /**
     * Clears the personal parts of these closed referrals: the summary's bands and lists, the arrival window, the
     * notes, the consent's language, interpreter, method and who recorded it, the timeline and the case file's
     * metadata, the reflection period's end and the return risk assessment. Status, urgency, stage, countries,
     * times, decline reason and outcome stay for the statistics (the pathway id stays: it is opaque).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void anonymise(List<UUID> ids, Instant now) {
        em.createNativeQuery("""
                update referral set requested_services = null, languages = null, age_band = null, children_age_bands = null,
                    safety_risk = null, arrival_earliest = null, arrival_latest = null, decline_note = null, outcome_note = null,
                    reflection_period_ends_on = null, return_assessor_role = null, return_assessed_on = null,
                    return_risk_level = null, anonymised_at = :now, version = version + 1
                where id in (:ids)""")
                .setParameter("now", now)
                .setParameter("ids", ids)
                .executeUpdate();
        em.createNativeQuery("""
                update consent set form_language = null, interpreter_present = null, method = null, recorded_by = null
                where referral_id in (:ids)""").setParameter("ids", ids).executeUpdate();
        em.createNativeQuery("delete from referral_history where referral_id in (:ids)")
                .setParameter("ids", ids)
                .executeUpdate();
        em.createNativeQuery("delete from case_file_key where referral_id in (:ids)")
                .setParameter("ids", ids)
                .executeUpdate();
        em.createNativeQuery("delete from case_file where referral_id in (:ids)")
                .setParameter("ids", ids)
                .executeUpdate();
    }

    /** Deletes the consent records of these referrals; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int deleteConsents(List<UUID> referralIds) {
        return em.createNativeQuery("delete from consent where referral_id in (:ids)")
                .setParameter("ids", referralIds)
                .executeUpdate();
    }

    /** Deletes the deletion receipts of these referrals; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int deleteDeletionReceipts(List<UUID> referralIds) {
        return em.createNativeQuery("delete from deletion_receipt where referral_id in (:ids)")
                .setParameter("ids", referralIds)
                .executeUpdate();
    }

    /** Deletes up to {@code limit} organisation keys (read model) that expired before {@code cutoff}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int deleteOrganisationKeysExpiredBefore(Instant cutoff, int limit) {
        return em.createNativeQuery("""
                delete from known_organisation_key where kid in (
                    select kid from known_organisation_key where expires_at < :cutoff
                    order by kid limit :n for update skip locked)""")
                .setParameter("cutoff", cutoff)
                .setParameter("n", limit)
                .executeUpdate();
    }

    /**
     * The report's rows: the whole network for a coordinator ({@code org} null), with the old hub keys kept for
     * the backups; for an org-admin the records of referrals her organisation sent or received and her
     * organisation's keys. Then the audit log and the referrals topic.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<RetentionReport.Row> report(RetentionPolicy policy, Instant now, UUID org) {
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
                from referral r where r.status in """ + CLOSED + """
                 and r.anonymised_at is null and""" + " " + PARTY,
                "retention job: anonymised, statistics codes kept"));
        rows.add(counts.row(
                policy,
                RetentionKind.CONSENT_RECORD,
                now,
                org,
                """
                select min(r.closed_at), count(*) filter (where r.closed_at < :cutoff)
                from consent c join referral r on r.id = c.referral_id where r.status in """ + CLOSED + " and " + PARTY,
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
        return rows;
    }
}
