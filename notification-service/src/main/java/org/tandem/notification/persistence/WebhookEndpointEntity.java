package org.tandem.notification.persistence;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import org.hibernate.ReadOnlyMode;
import org.hibernate.Session;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A webhook endpoint. Updates write only the columns that changed ({@link DynamicUpdate}), so that an
 * update of its state never writes back a secret that the re-wrap command or the erasure of previous
 * secrets changed meanwhile.
 */
@Entity
@DynamicUpdate
@Table(name = "webhook_endpoint")
public class WebhookEndpointEntity extends PanacheEntityBase {

    /** An organisation's own endpoint: events about referrals it is a party to. */
    public static final String ORGANISATION = "ORGANISATION";
    /** A coordinators' endpoint: network-level events (escalations, membership, failing endpoints). */
    public static final String NETWORK = "NETWORK";

    @Id
    public UUID id;

    @Column(name = "organisation_id")
    public UUID organisationId;

    @Column(nullable = false)
    public String url;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "event_types", nullable = false, columnDefinition = "text[]")
    public String[] eventTypes;

    /**
     * The signing secret ({@code whsec_...}), sealed under the key-encryption key; open it with
     * {@code WebhookSecrets}. Never plaintext (docs/security.md, "Secrets at rest").
     */
    @Column(name = "secret_sealed", nullable = false)
    public String secretSealed;

    @Column(nullable = false)
    public boolean enabled;

    public String description;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(nullable = false)
    public String scope = ORGANISATION;

    /**
     * The secret before the last rotation, sealed; deliveries carry its signature too until
     * {@link #previousSecretUntil}, and then it is erased (set to null).
     */
    @Column(name = "previous_secret_sealed")
    public String previousSecretSealed;

    @Column(name = "previous_secret_until")
    public Instant previousSecretUntil;

    /** PKCS#8 in base64, sealed: signs {@code v1a} signatures when present. */
    @Column(name = "ed25519_private_key_sealed")
    public String ed25519PrivateKeySealed;

    /** {@code whpk_<base64 of the raw key>}, for the receiver. */
    @Column(name = "ed25519_public_key")
    public String ed25519PublicKey;

    /** Why the endpoint was disabled: by its admin, or because it answered 410 Gone. */
    @Column(name = "disabled_reason")
    public String disabledReason;

    @Column(name = "consecutive_failures", nullable = false)
    public int consecutiveFailures;

    /** Whether the coordinators were told that this endpoint keeps failing (reset by a success). */
    @Column(name = "failing_alerted", nullable = false)
    public boolean failingAlerted;

    /** The organisation's technical contact for alerts about this endpoint; optional. */
    @Column(name = "alert_email")
    public String alertEmail;

    @Version
    public long version;

    /**
     * The endpoints with these ids that exist, loaded read-only: for a caller that only reads them (the claimer, for
     * every batch it claims), so that Hibernate keeps no snapshot of them to compare at commit (#18). A change to one
     * of them is not written.
     *
     * <p>One endpoint (the usual claim) by its id, whose statement Hibernate builds once; several by the multi-load,
     * which binds the ids as one array ({@code id = any(?)}) but still builds its SQL on each call. A query with
     * {@code id in ?1} was translated from HQL to SQL again on every call, because the length of the list is part of
     * its SQL: 12% of notification-service's sampled CPU under load.
     */
    public static List<WebhookEndpointEntity> readOnly(Collection<UUID> ids) {
        Session session = getEntityManager().unwrap(Session.class);
        if (ids.size() == 1) {
            WebhookEndpointEntity one =
                    session.find(WebhookEndpointEntity.class, ids.iterator().next(), ReadOnlyMode.READ_ONLY);
            return one == null ? List.of() : List.of(one);
        }
        return session.findMultiple(WebhookEndpointEntity.class, List.copyOf(ids), ReadOnlyMode.READ_ONLY).stream()
                .filter(Objects::nonNull)
                .toList();
    }
}
