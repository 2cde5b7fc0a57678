package org.tandem.referral.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One step in a referral's timeline, as read: codes and ids only, never a note. {@link ReferralHistory} writes them. */
@Entity
@Table(name = "referral_history")
public class HistoryEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "referral_id", nullable = false)
    public UUID referralId;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false)
    public String step;

    @Column(nullable = false)
    public String status;

    @Column(name = "actor_org")
    public UUID actorOrg;

    @Column
    public String code;

    @Column(name = "linked_referral")
    public UUID linkedReferral;

    public static List<HistoryEntry> of(UUID referralId) {
        return find("referralId = ?1 order by id", referralId).list();
    }
}
