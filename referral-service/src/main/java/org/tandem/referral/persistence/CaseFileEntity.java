package org.tandem.referral.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A referral's case file as the hub keeps it: the sender's JWE, sealed again with the referral's data key. */
@Entity
@Table(name = "case_file")
public class CaseFileEntity extends PanacheEntityBase {

    @Id
    @Column(name = "referral_id")
    public UUID referralId;

    /** nonce || AES-GCM ciphertext and tag of the compact JWE; null once shredded. */
    @Column(name = "sealed")
    public byte[] sealed;

    @Column(name = "receiver_kid", nullable = false)
    public String receiverKid;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "data_categories", nullable = false, columnDefinition = "text[]")
    public String[] dataCategories;

    @Column(name = "size_bytes", nullable = false)
    public int sizeBytes;

    @Column(name = "uploaded_at", nullable = false)
    public Instant uploadedAt;

    @Column(name = "uploaded_by", nullable = false)
    public String uploadedBy;

    @Column(name = "first_released_at")
    public Instant firstReleasedAt;

    @Column(name = "release_count", nullable = false)
    public int releaseCount;

    @Column(name = "shredded_at")
    public Instant shreddedAt;
}
