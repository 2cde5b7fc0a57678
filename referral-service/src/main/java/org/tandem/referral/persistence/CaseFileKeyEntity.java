package org.tandem.referral.persistence;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A referral's data key, wrapped with a hub key. Deleting it shreds the case file. */
@Entity
@Table(name = "case_file_key")
public class CaseFileKeyEntity extends PanacheEntityBase {

    @Id
    @Column(name = "referral_id")
    public UUID referralId;

    @Column(name = "hub_key_id", nullable = false)
    public String hubKeyId;

    @Column(name = "wrapped_key", nullable = false)
    public byte[] wrappedKey;
}
