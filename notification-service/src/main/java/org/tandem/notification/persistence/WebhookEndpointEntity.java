package org.tandem.notification.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
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

    /** Its secrets, sealed as they are stored. */
    public SealedSecrets sealedSecrets() {
        return new SealedSecrets(id, secretSealed, previousSecretSealed, previousSecretUntil, ed25519PrivateKeySealed);
    }
}
