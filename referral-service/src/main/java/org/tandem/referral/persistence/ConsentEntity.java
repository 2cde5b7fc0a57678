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

@Entity
@Table(name = "consent")
public class ConsentEntity extends PanacheEntityBase {

    @Id
    @Column(name = "referral_id")
    public UUID referralId;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "uuid[]")
    public UUID[] recipients;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] purposes;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "data_categories", nullable = false, columnDefinition = "text[]")
    public String[] dataCategories;

    @Column(name = "given_at", nullable = false)
    public Instant givenAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "form_language", nullable = false)
    public String formLanguage;

    @Column(name = "form_version", nullable = false)
    public String formVersion;

    @Column(name = "interpreter_present", nullable = false)
    public boolean interpreterPresent;

    @Column(nullable = false)
    public String method;

    @Column(name = "recorded_by", nullable = false)
    public String recordedBy;

    @Column(name = "withdrawn_at")
    public Instant withdrawnAt;
}
