package org.tandem.platform.organisations;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.tandem.events.registry.OrganisationSnapshot;

/**
 * The one way a service keeps its read model of the registry's organisations, built from the compacted
 * organisations topic. Every organisation event carries the whole {@link OrganisationSnapshot} with a version:
 * the newest snapshot wins, an older or repeated one changes nothing.
 *
 * <p>Each service keeps the model in its own schema through its own Flyway migration, in this shape
 * (public, non-identifying fields only; the key material itself stays in the registry):
 * <pre>
 * known_organisation     (id uuid primary key, country char(2) not null, membership_status text not null,
 *                         services text[] not null, languages text[] not null, capacity_available integer,
 *                         capacity_updated_at timestamptz, version bigint not null, updated_at timestamptz not null)
 * known_organisation_key (kid text primary key, organisation_id uuid not null references known_organisation (id),
 *                         use text not null, not_before timestamptz not null, expires_at timestamptz)
 * </pre>
 */
@ApplicationScoped
public class KnownOrganisations {

    /** A public key the organisation published: which kid, for what ({@code ENCRYPTION} or {@code SIGNATURE}), when. */
    public record KnownKey(String kid, UUID organisationId, String use, Instant notBefore, Instant expiresAt) {

        /** Whether the key may be used at {@code at}. */
        public boolean validAt(Instant at) {
            return !at.isBefore(notBefore) && (expiresAt == null || at.isBefore(expiresAt));
        }
    }

    /** One organisation of the read model. */
    public record KnownOrganisation(
            UUID id,
            String country,
            String membershipStatus,
            List<String> services,
            List<String> languages,
            Integer capacityAvailable,
            Instant capacityUpdatedAt,
            List<KnownKey> keys,
            long version) {

        public boolean isApproved() {
            return "APPROVED".equals(membershipStatus);
        }

        public List<String> keyIds() {
            return keys.stream().map(KnownKey::kid).toList();
        }
    }

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /**
     * Applies a snapshot unless the model already holds the same or a newer version of the organisation; the
     * organisation's keys are mirrored from the snapshot. Returns whether the model changed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean apply(OrganisationSnapshot s) {
        UUID id = UUID.fromString(s.getOrganisationId());
        int changed = em.createNativeQuery("""
                insert into known_organisation (id, country, membership_status, services, languages, capacity_available,
                                                capacity_updated_at, version, updated_at)
                values (:id, :country, :status, cast(:services as text[]), cast(:languages as text[]), :available,
                        :capacityAt, :version, :now)
                on conflict (id) do update set country = excluded.country, membership_status = excluded.membership_status,
                    services = excluded.services, languages = excluded.languages,
                    capacity_available = excluded.capacity_available, capacity_updated_at = excluded.capacity_updated_at,
                    version = excluded.version, updated_at = excluded.updated_at
                where known_organisation.version < excluded.version""")
                .setParameter("id", id)
                .setParameter("country", s.getCountry())
                .setParameter("status", s.getMembershipStatus().name())
                .setParameter(
                        "services",
                        textArray(s.getServices().stream().map(Enum::name).toList()))
                .setParameter("languages", textArray(s.getLanguages()))
                .setParameter("available", s.getCapacityAvailable())
                .setParameter(
                        "capacityAt",
                        s.getCapacityUpdatedAt() == null ? null : Timestamp.from(s.getCapacityUpdatedAt()))
                .setParameter("version", s.getVersion())
                .setParameter("now", Timestamp.from(clock.instant()))
                .executeUpdate();
        if (changed == 0) {
            return false;
        }
        // the snapshot lists every key the organisation has published; mirror it
        em.createNativeQuery("delete from known_organisation_key where organisation_id = :id")
                .setParameter("id", id)
                .executeUpdate();
        for (var key : s.getKeys()) {
            em.createNativeQuery("""
                    insert into known_organisation_key (kid, organisation_id, use, not_before, expires_at)
                    values (:kid, :id, :use, :notBefore, :expiresAt)""")
                    .setParameter("kid", key.getKid())
                    .setParameter("id", id)
                    .setParameter("use", key.getUse().name())
                    .setParameter("notBefore", Timestamp.from(key.getNotBefore()))
                    .setParameter("expiresAt", key.getExpiresAt() == null ? null : Timestamp.from(key.getExpiresAt()))
                    .executeUpdate();
        }
        return true;
    }

    /** The organisation as the model knows it, with its keys. */
    @Transactional
    public Optional<KnownOrganisation> find(UUID id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select id, country, membership_status, services, languages, capacity_available, capacity_updated_at, version
                from known_organisation where id = :id""").setParameter("id", id).getResultList();
        return rows.stream()
                .findFirst()
                .map(r -> new KnownOrganisation(
                        (UUID) r[0],
                        ((String) r[1]).strip(),
                        (String) r[2],
                        List.of((String[]) r[3]),
                        List.of((String[]) r[4]),
                        (Integer) r[5],
                        instant(r[6]),
                        keysOf(id),
                        ((Number) r[7]).longValue()));
    }

    /** A published key by its kid. */
    @Transactional
    public Optional<KnownKey> key(String kid) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select kid, organisation_id, use, not_before, expires_at from known_organisation_key where kid = :kid""").setParameter("kid", kid).getResultList();
        return rows.stream().findFirst().map(KnownOrganisations::key);
    }

    /** Throws the whole model away, before a rebuild from the start of the topic. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void clear() {
        em.createNativeQuery("delete from known_organisation_key").executeUpdate();
        em.createNativeQuery("delete from known_organisation").executeUpdate();
    }

    private List<KnownKey> keysOf(UUID id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select kid, organisation_id, use, not_before, expires_at from known_organisation_key
                where organisation_id = :id order by kid""").setParameter("id", id).getResultList();
        return rows.stream().map(KnownOrganisations::key).toList();
    }

    private static KnownKey key(Object[] r) {
        return new KnownKey((String) r[0], (UUID) r[1], (String) r[2], instant(r[3]), instant(r[4]));
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Instant i -> i;
            case Timestamp t -> t.toInstant();
            case java.time.OffsetDateTime o -> o.toInstant();
            default ->
                throw new IllegalStateException(
                        "not a timestamp: " + value.getClass().getName());
        };
    }

    /** A PostgreSQL array literal of text values, each quoted, so that a value cannot break out of the array. */
    static String textArray(List<? extends CharSequence> values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"')
                    .append(values.get(i).toString().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return sb.append('}').toString();
    }
}
