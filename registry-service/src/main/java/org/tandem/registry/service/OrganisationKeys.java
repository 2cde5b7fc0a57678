package org.tandem.registry.service;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.tandem.events.registry.OrganisationKeyRotated;
import org.tandem.events.registry.PublicKeyRef;
import org.tandem.platform.audit.AuditLog;
import org.tandem.registry.application.NewKeys;
import org.tandem.registry.domain.InvalidProfileException;
import org.tandem.registry.domain.KidReusedException;
import org.tandem.registry.domain.NotFoundException;
import org.tandem.registry.domain.PublicKeyPolicy;
import org.tandem.registry.mapping.OrganisationMapper;
import org.tandem.registry.persistence.OrganisationEntity;
import org.tandem.registry.persistence.OrganisationKeyEntity;

/**
 * The organisations' public keys. Publishing a key of a use rotates: the older keys of that use stay valid
 * for an overlap ({@code tandem.registry.key-overlap}, 14 days by default) after the new one starts, then
 * expire. Kids are unique over the whole registry and never reused.
 */
@ApplicationScoped
public class OrganisationKeys {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    OrganisationService organisations;

    @Inject
    AuditLog audit;

    /** The audit action of a key publication, allowed or denied. */
    public static final String PUBLISH_ACTION = "organisation.keys.publish";

    @ConfigProperty(name = "tandem.registry.key-overlap", defaultValue = "P14D")
    Duration overlap;

    /** The keys valid now, newest first, as a JWK Set (public members only). */
    public JWKSet current(UUID organisationId) {
        Instant now = clock.instant();
        List<OrganisationKeyEntity> rows = OrganisationKeyEntity.list(
                "organisationId = ?1 and notBefore <= ?2 and (expiresAt is null or expiresAt > ?2) order by notBefore desc, createdAt desc",
                organisationId,
                now);
        List<JWK> keys = new ArrayList<>();
        for (OrganisationKeyEntity k : rows) {
            try {
                keys.add(JWK.parse(k.jwk).toPublicJWK());
            } catch (ParseException e) {
                throw new IllegalStateException("stored key " + k.kid + " does not parse", e);
            }
        }
        return new JWKSet(keys);
    }

    /**
     * Refuses a publication by someone who is not the organisation's own org-admin: audited as denied (in its own
     * transaction, since the request rolls back), then the same 404 as for a missing organisation.
     */
    public NotFoundException refuse(UUID organisationId, UUID callerOrganisation) {
        audit.denied(PUBLISH_ACTION, "organisation", organisationId, organisationId, callerOrganisation);
        return new NotFoundException("organisation");
    }

    /**
     * Publishes new keys. Each one is written to the audit log ({@value #PUBLISH_ACTION}, the kid as resource id;
     * the actor is the caller's token subject) and listed in the event's {@code published}, from which
     * notification-service tells the organisation at once (docs/security.md, "Key substitution").
     */
    @Transactional
    public JWKSet publish(UUID organisationId, NewKeys in) {
        OrganisationEntity org = organisations.find(organisationId);
        Instant now = clock.instant();
        Instant notBefore = in.notBefore() == null ? now : in.notBefore();
        if (notBefore.isBefore(now.minusSeconds(300))) {
            throw new InvalidProfileException(
                    "notBefore", "must not lie in the past: a key cannot have been valid before it was published");
        }
        List<PublicKeyPolicy.PublicKey> parsed = new ArrayList<>();
        var kids = new HashSet<String>();
        for (int i = 0; i < in.keys().size(); i++) {
            Map<String, Object> json = in.keys().get(i);
            String field = "keys[" + i + "]";
            PublicKeyPolicy.PublicKey key = PublicKeyPolicy.parse(json, field, notBefore, in.expiresAt());
            if (!kids.add(key.kid()) || OrganisationKeyEntity.findById(key.kid()) != null) {
                throw new KidReusedException(field + ".kid");
            }
            parsed.add(key);
        }
        List<OrganisationKeyEntity> added = new ArrayList<>();
        for (PublicKeyPolicy.PublicKey key : parsed) {
            // rotation: the older keys of this use overlap with the new one, then expire
            List<OrganisationKeyEntity> older = OrganisationKeyEntity.list(
                    "organisationId = ?1 and use = ?2 and (expiresAt is null or expiresAt > ?3)",
                    organisationId,
                    key.use().name(),
                    key.notBefore());
            for (OrganisationKeyEntity o : older) {
                if (o.notBefore.isBefore(key.notBefore())) {
                    o.expiresAt = PublicKeyPolicy.expiryAfterRotation(o.expiresAt, key.notBefore(), overlap);
                    o.jwk = withExpiry(o.jwk, o.expiresAt);
                }
            }
            var row = new OrganisationKeyEntity();
            row.kid = key.kid();
            row.organisationId = organisationId;
            row.use = key.use().name();
            row.jwk = key.publicJson();
            row.notBefore = key.notBefore();
            row.expiresAt = key.expiresAt();
            row.createdAt = now;
            row.persist();
            added.add(row);
        }
        em.flush();
        List<PublicKeyRef> published = new ArrayList<>();
        for (OrganisationKeyEntity row : added) {
            PublicKeyRef ref = OrganisationMapper.keyRef(row);
            published.add(ref);
            audit.allowed(PUBLISH_ACTION, "organisation-key", row.kid, organisationId);
        }
        organisations.publishSnapshot(
                org,
                (at, snapshot) -> OrganisationKeyRotated.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(at)
                        .setOrganisation(snapshot)
                        .setPublished(published)
                        .build());
        return current(organisationId);
    }

    private static String withExpiry(String json, Instant expiresAt) {
        try {
            var ec = JWK.parse(json).toECKey();
            return new com.nimbusds.jose.jwk.ECKey.Builder(ec)
                    .expirationTime(java.util.Date.from(expiresAt))
                    .build()
                    .toJSONString();
        } catch (ParseException e) {
            throw new IllegalStateException("stored key does not parse", e);
        }
    }
}
