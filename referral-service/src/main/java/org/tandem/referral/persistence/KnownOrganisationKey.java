package org.tandem.referral.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import org.hibernate.annotations.Immutable;

/**
 * A public key an organisation published, as far as this service needs it: which kid, for what, when. Read-only:
 * platform {@code KnownOrganisations} writes the table.
 */
@Entity
@Immutable
@Table(name = "known_organisation_key")
public class KnownOrganisationKey extends PanacheEntityBase {

    @Id
    public String kid;

    @Column(name = "organisation_id", nullable = false)
    public UUID organisationId;

    @Column(nullable = false)
    public String use;

    @Column(name = "not_before", nullable = false)
    public Instant notBefore;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** Whether the key may be used at {@code at}. */
    public boolean validAt(Instant at) {
        return !at.isBefore(notBefore) && (expiresAt == null || at.isBefore(expiresAt));
    }
}
