package org.tandem.referral.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The receiver's signed deletion receipt for a withdrawn referral's case file. */
@Entity
@Table(name = "deletion_receipt")
public class DeletionReceiptEntity extends PanacheEntityBase {

    @Id
    @Column(name = "referral_id")
    public UUID referralId;

    /** The compact JWS as the receiver sent it, so that the sender can verify it too. */
    @Column(nullable = false)
    public String receipt;

    @Column(name = "signer_kid", nullable = false)
    public String signerKid;

    @Column(name = "purged_at", nullable = false)
    public Instant purgedAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "received_by", nullable = false)
    public String receivedBy;
}
