package org.tandem.registry.service;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.tandem.platform.problem.ProblemException;
import org.tandem.registry.domain.ServiceCode;
import org.tandem.registry.mapping.OrganisationMapper;
import org.tandem.registry.persistence.OrganisationEntity;
import org.tandem.registry.rest.OrganisationPage;

/**
 * Directory search, done in PostgreSQL with indexes (GIN on services, languages and the text vector), never
 * by loading organisations into memory. Only approved organisations are found. Results are ordered by
 * text relevance (when there is text), then by the freshest capacity, then by id, and paged with a
 * keyset cursor so that pages stay stable while the directory changes.
 */
@ApplicationScoped
public class DirectorySearch {

    /**
     * What a caseworker looks for. Every criterion is optional; {@code services} must all be offered;
     * {@code age} admits organisations whose age range includes it (and, under 18, that accept minors).
     */
    public record Criteria(String country, String region, List<ServiceCode> services, String language,
            Boolean womenOnly, Boolean acceptsMinors, Boolean withChildren, Integer age, Boolean hasCapacity,
            String text) {
    }

    /** Position after the last row of a page: relevance, capacity update time, id. */
    record Cursor(double rank, Instant capacityUpdatedAt, UUID id) {
        String encode() {
            long micros = capacityUpdatedAt.getEpochSecond() * 1_000_000L + capacityUpdatedAt.getNano() / 1_000;
            String raw = rank + "|" + micros + "|" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                String[] parts = raw.split("\\|");
                return new Cursor(Double.parseDouble(parts[0]), Instant.EPOCH.plus(Long.parseLong(parts[1]), java.time.temporal.ChronoUnit.MICROS), UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw ProblemException.invalidField("cursor", "is not a cursor this directory gave out");
            }
        }
    }

    @Inject
    EntityManager em;

    public OrganisationPage search(Criteria c, String cursorToken, int limit) {
        boolean withText = c.text() != null && !c.text().isBlank();
        String rank = withText ? "ts_rank(o.search_vector, websearch_to_tsquery('simple', :text))" : "0.0";
        StringBuilder sql = new StringBuilder("select o.id, cast(" + rank + " as float8) as rank, o.capacity_updated_at "
                + "from organisation o where o.membership_status = 'APPROVED'");
        List<Object[]> params = new ArrayList<>();
        if (c.country() != null) {
            sql.append(" and o.country = :country");
            params.add(new Object[] {"country", c.country()});
        }
        if (c.region() != null) {
            sql.append(" and o.region = :region");
            params.add(new Object[] {"region", c.region()});
        }
        if (c.services() != null && !c.services().isEmpty()) {
            sql.append(" and o.services @> cast(:services as text[])");
            params.add(new Object[] {"services", "{" + String.join(",", c.services().stream().map(Enum::name).toList()) + "}"});
        }
        if (c.language() != null) {
            sql.append(" and :language = any(o.languages)");
            params.add(new Object[] {"language", c.language()});
        }
        if (Boolean.TRUE.equals(c.womenOnly())) {
            sql.append(" and o.women_only");
        }
        if (Boolean.TRUE.equals(c.acceptsMinors())) {
            sql.append(" and o.accepts_minors");
        }
        if (Boolean.TRUE.equals(c.withChildren())) {
            sql.append(" and o.accepts_women_with_children");
        }
        if (c.age() != null) {
            sql.append(" and (:age >= 18 or o.accepts_minors) and (o.min_age is null or o.min_age <= :age)"
                    + " and (o.max_age is null or o.max_age >= :age)");
            params.add(new Object[] {"age", c.age()});
        }
        if (Boolean.TRUE.equals(c.hasCapacity())) {
            sql.append(" and o.capacity_available > 0");
        }
        if (withText) {
            sql.append(" and o.search_vector @@ websearch_to_tsquery('simple', :text)");
            params.add(new Object[] {"text", c.text().strip()});
        }
        if (cursorToken != null && !cursorToken.isBlank()) {
            Cursor after = Cursor.decode(cursorToken);
            // rank and capacity time descend, id ascends: spell the keyset condition out
            String r = "cast(" + rank + " as float8)";
            sql.append(" and (" + r + " < :afterRank or (" + r + " = :afterRank and (o.capacity_updated_at < :afterUpdated"
                    + " or (o.capacity_updated_at = :afterUpdated and o.id > cast(:afterId as uuid)))))");
            params.add(new Object[] {"afterRank", after.rank()});
            params.add(new Object[] {"afterUpdated", Timestamp.from(after.capacityUpdatedAt())});
            params.add(new Object[] {"afterId", after.id().toString()});
        }
        sql.append(" order by rank desc, o.capacity_updated_at desc, o.id asc limit :limit");
        var query = em.createNativeQuery(sql.toString());
        for (Object[] p : params) {
            query.setParameter((String) p[0], p[1]);
        }
        query.setParameter("limit", limit + 1);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        boolean more = rows.size() > limit;
        List<Object[]> page = more ? rows.subList(0, limit) : rows;
        List<UUID> ids = page.stream().map(r -> (UUID) r[0]).toList();
        var byId = new java.util.HashMap<UUID, OrganisationEntity>();
        if (!ids.isEmpty()) {
            OrganisationEntity.<OrganisationEntity>list("id in ?1", ids).forEach(e -> byId.put(e.id, e));
        }
        var items = ids.stream().map(byId::get).map(OrganisationMapper::view).toList();
        String next = null;
        if (more) {
            Object[] last = page.get(page.size() - 1);
            next = new Cursor(((Number) last[1]).doubleValue(), toInstant(last[2]), (UUID) last[0]).encode();
        }
        return new OrganisationPage(items, next);
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
