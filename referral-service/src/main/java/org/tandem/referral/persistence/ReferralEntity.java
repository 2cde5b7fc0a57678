package org.tandem.referral.persistence;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The stored form of a referral. The domain type is {@code org.tandem.referral.domain.Referral}.
 *
 * <p>The facts ({@code updatable = false}: parties, summary, pathway, creation) are written once, with the row; a
 * transition's update writes the state columns only. Before, every transition bound every column again, the three
 * arrays included, whose binding alone took about 3% of referral-service's CPU under load (#18). Retention clears
 * facts with its own statement ({@code ReferralRetentionRepository.anonymise}), which this does not limit.
 */
@Entity
@Table(name = "referral")
public class ReferralEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "sender_org", nullable = false, updatable = false)
    public UUID senderOrg;

    @Column(name = "receiver_org", nullable = false, updatable = false)
    public UUID receiverOrg;

    @Column(name = "sender_country", nullable = false, columnDefinition = "char(2)", updatable = false)
    public String senderCountry;

    @Column(name = "receiver_country", nullable = false, columnDefinition = "char(2)", updatable = false)
    public String receiverCountry;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false, updatable = false)
    public String urgency;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "requested_services", nullable = false, columnDefinition = "text[]", updatable = false)
    public String[] requestedServices;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]", updatable = false)
    public String[] languages;

    @Column(name = "age_band", nullable = false, updatable = false)
    public String ageBand;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "children_age_bands", nullable = false, columnDefinition = "text[]", updatable = false)
    public String[] childrenAgeBands;

    @Column(name = "safety_risk", nullable = false, updatable = false)
    public String safetyRisk;

    @Column(name = "arrival_earliest", updatable = false)
    public LocalDate arrivalEarliest;

    @Column(name = "arrival_latest", updatable = false)
    public LocalDate arrivalLatest;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    @Column(name = "redirected_from", updatable = false)
    public UUID redirectedFrom;

    /** The pathway (docs/referrals.md, "Pathways and stages"): an opaque random id. */
    @Column(name = "pathway_id", nullable = false, updatable = false)
    public UUID pathwayId;

    @Column(name = "onward_from", updatable = false)
    public UUID onwardFrom;

    @Column(nullable = false, updatable = false)
    public String stage;

    @Column(name = "reflection_period_ends_on", updatable = false)
    public LocalDate reflectionPeriodEndsOn;

    @Column(name = "return_assessor_role")
    public String returnAssessorRole;

    @Column(name = "return_assessed_on")
    public LocalDate returnAssessedOn;

    @Column(name = "return_risk_level")
    public String returnRiskLevel;

    @Column(name = "submitted_at")
    public Instant submittedAt;

    @Column(name = "acknowledge_by")
    public Instant acknowledgeBy;

    @Column(name = "acknowledged_at")
    public Instant acknowledgedAt;

    @Column(name = "decide_by")
    public Instant decideBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    /** When the retention job cleared the personal parts (docs/retention.md); such a referral is no longer shown. */
    @Column(name = "anonymised_at")
    public Instant anonymisedAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    @Column(name = "status_before_close")
    public String statusBeforeClose;

    @Column(name = "decline_reason")
    public String declineReason;

    @Column(name = "decline_note")
    public String declineNote;

    @Column
    public String outcome;

    @Column(name = "outcome_note")
    public String outcomeNote;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    /**
     * The referral with this id, or null; its consent, if it has one, is read by the same statement into the same
     * session, so that {@code ConsentEntity.findById} then finds it there instead of asking the database again.
     * Every request on a referral reads both; the second round trip was 2.5% of the service's CPU under load (#18).
     * Not the consent of an anonymised referral: retention cleared its columns (some to null that the entity cannot
     * hold), and nobody may read it anyway.
     */
    public static ReferralEntity findWithConsent(UUID id) {
        List<?> rows = getEntityManager()
                .createQuery("select r, c from ReferralEntity r"
                        + " left join ConsentEntity c on c.id = r.id and r.anonymisedAt is null"
                        + " where r.id = :id")
                .setParameter("id", id)
                .getResultList();
        return rows.isEmpty() ? null : (ReferralEntity) ((Object[]) rows.getFirst())[0];
    }

    /** The referrals {@code organisation} sent, drafts included, newest change first. */
    public static List<ReferralEntity> sentBy(UUID organisation, int limit) {
        return ReferralEntity.<ReferralEntity>find(
                        "senderOrg = ?1 and anonymisedAt is null order by updatedAt desc", organisation)
                .page(0, limit)
                .list();
    }

    /** The referrals {@code organisation} received, never a draft, newest change first. */
    public static List<ReferralEntity> receivedBy(UUID organisation, int limit) {
        return ReferralEntity.<ReferralEntity>find(
                        "receiverOrg = ?1 and status <> 'DRAFT' and anonymisedAt is null order by updatedAt desc",
                        organisation)
                .page(0, limit)
                .list();
    }

    /** Every referral of a pathway that is still shown (not anonymised), oldest first. */
    public static List<ReferralEntity> ofPathway(UUID pathwayId) {
        return ReferralEntity.<ReferralEntity>find(
                        "pathwayId = ?1 and anonymisedAt is null order by createdAt, id", pathwayId)
                .list();
    }

    /** Every referral of a pathway under its row lock, in id order, held until the transaction ends. */
    public static List<ReferralEntity> lockPathway(UUID pathwayId) {
        return ReferralEntity.<ReferralEntity>find("pathwayId = ?1 order by id", pathwayId)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .list();
    }

    /** Whether a redirect of {@code declined} is still open (neither cancelled nor withdrawn). */
    public static boolean hasOpenRedirect(UUID declined) {
        return count("redirectedFrom = ?1 and status not in ('CANCELLED', 'WITHDRAWN')", declined) > 0;
    }
}
