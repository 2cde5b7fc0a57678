package org.tandem.registry.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.tandem.registry.application.DirectoryQuery;

/**
 * The directory search in PostgreSQL with indexes (GIN on services, languages and the text vector), never by
 * loading organisations into memory. Only approved organisations are found, ordered by text relevance (when there
 * is text), then by the freshest capacity, then by id, with a keyset position so that pages stay stable while the
 * directory changes.
 */
@ApplicationScoped
public class DirectoryRepository {

    /** One row found, with the position it sorts at. */
    public record Hit(UUID id, double rank, Instant capacityUpdatedAt) {}

    /** The position after which a page starts: the last row of the previous page. */
    public record After(double rank, Instant capacityUpdatedAt, UUID id) {}

    @Inject
    EntityManager em;

    /** Up to {@code max} rows matching {@code c} after {@code after} (null for the first page), in order. */
    public List<Hit> search(DirectoryQuery c, After after, int max) {
        boolean withText = c.text() != null && !c.text().isBlank();
        String rank = withText ? "ts_rank(o.search_vector, websearch_to_tsquery('simple', :text))" : "0.0";
        StringBuilder sql =
                new StringBuilder("select o.id, cast(" + rank + " as float8) as rank, o.capacity_updated_at "
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
            params.add(new Object[] {
                "services",
                "{" + String.join(",", c.services().stream().map(Enum::name).toList()) + "}"
            });
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
        if (after != null) {
            // rank and capacity time descend, id ascends: spell the keyset condition out
            String r = "cast(" + rank + " as float8)";
            sql.append(
                    " and (" + r + " < :afterRank or (" + r + " = :afterRank and (o.capacity_updated_at < :afterUpdated"
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
        query.setParameter("limit", max);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream()
                .map(r -> new Hit((UUID) r[0], ((Number) r[1]).doubleValue(), toInstant(r[2])))
                .toList();
    }

    /** The organisations of {@code ids}, by id. */
    public Map<UUID, OrganisationEntity> byId(List<UUID> ids) {
        var byId = new HashMap<UUID, OrganisationEntity>();
        if (!ids.isEmpty()) {
            OrganisationEntity.<OrganisationEntity>list("id in ?1", ids).forEach(e -> byId.put(e.id, e));
        }
        return byId;
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
