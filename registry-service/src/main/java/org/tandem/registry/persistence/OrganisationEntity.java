package org.tandem.registry.persistence;

import java.time.Instant;
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

/** The stored public profile of an organisation. Not an API type: see {@code rest} for those. */
@Entity
@Table(name = "organisation")
public class OrganisationEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    public String description;

    @Column(nullable = false, columnDefinition = "char(2)")
    public String country;

    public String region;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] services;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] languages;

    @Column(name = "women_only", nullable = false)
    public boolean womenOnly;

    @Column(name = "accepts_minors", nullable = false)
    public boolean acceptsMinors;

    @Column(name = "min_age")
    public Integer minAge;

    @Column(name = "max_age")
    public Integer maxAge;

    @Column(name = "accepts_women_with_children", nullable = false)
    public boolean acceptsWomenWithChildren;

    @Column(name = "capacity_available", nullable = false)
    public int capacityAvailable;

    @Column(name = "capacity_maximum")
    public Integer capacityMaximum;

    @Column(name = "capacity_unit", nullable = false)
    public String capacityUnit;

    @Column(name = "capacity_updated_at", nullable = false)
    public Instant capacityUpdatedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "contact_hours", nullable = false, columnDefinition = "jsonb")
    public List<ContactHoursJson> contactHours;

    @Column(name = "membership_status", nullable = false)
    public String membershipStatus;

    @Column(name = "membership_since", nullable = false)
    public Instant membershipSince;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    /** JSON shape of one contact-hours window in the {@code contact_hours} column. */
    public record ContactHoursJson(String dayOfWeek, String opens, String closes) {}
}
