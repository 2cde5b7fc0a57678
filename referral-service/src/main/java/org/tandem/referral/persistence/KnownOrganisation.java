package org.tandem.referral.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * This service's read model of a registry organisation, from the organisations topic: a read-only view of the
 * table that platform {@code KnownOrganisations} writes (the one shape every service keeps).
 */
@Entity
@Immutable
@Table(name = "known_organisation")
public class KnownOrganisation extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, columnDefinition = "char(2)")
    public String country;

    @Column(name = "membership_status", nullable = false)
    public String membershipStatus;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] services;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] languages;

    @Column(nullable = false)
    public long version;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean isApproved() {
        return "APPROVED".equals(membershipStatus);
    }
}
