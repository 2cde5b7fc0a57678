package org.tandem.notification.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "webhook_endpoint")
public class WebhookEndpointEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "organisation_id")
    public UUID organisationId;

    @Column(nullable = false)
    public String url;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "event_types", nullable = false, columnDefinition = "text[]")
    public String[] eventTypes;

    @Column(nullable = false)
    public String secret;

    @Column(nullable = false)
    public boolean enabled;

    public String description;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
