package org.tandem.registry.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hibernate.Session;

import org.tandem.registry.application.DirectoryQuery;

/**
 * The directory search in PostgreSQL with indexes (GIN on services, languages and the text vector), never by
 * loading organisations into memory. Only approved organisations are found, ordered by text relevance (when there
 * is text), then by the freshest capacity, then by id, with a keyset position so that pages stay stable while the
 * directory changes.
 *
 * <p>One statement in plain JDBC through the session finds a page and reads its organisations' columns. Before
 * 2026-12-07 a native query found the ids and an HQL {@code id in ?1} loaded the entities: Hibernate translated
 * that HQL to SQL again on every call (a list's length is part of its SQL), resolved the native query's columns
 * again, and kept a snapshot of every managed entity, arrays and JSON included, for a dirty check that a search
 * never needs; in a profile of 100-300 searches a second those were most of the registry's search CPU
 * (docs/performance.md). The statement's text varies only with which filters are given.
 */
@ApplicationScoped
public class DirectoryRepository {

    /**
     * One organisation found, with the position it sorts at. The organisation is a detached copy read by the
     * search's statement, every column filled, attached to no session: reading it is all it is for.
     */
    public record Hit(OrganisationEntity organisation, double rank) {
        public UUID id() {
            return organisation.id;
        }

        public Instant capacityUpdatedAt() {
            return organisation.capacityUpdatedAt;
        }
    }

    /** The position after which a page starts: the last row of the previous page. */
    public record After(double rank, Instant capacityUpdatedAt, UUID id) {}

    private static final String COLUMNS = "o.id, o.name, o.description, o.country, o.region, o.services,"
            + " o.languages, o.women_only, o.accepts_minors, o.min_age, o.max_age, o.accepts_women_with_children,"
            + " o.capacity_available, o.capacity_maximum, o.capacity_unit, o.capacity_updated_at, o.contact_hours,"
            + " o.membership_status, o.membership_since, o.created_at, o.updated_at, o.version";

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<OrganisationEntity.ContactHoursJson>> CONTACT_HOURS =
            new TypeReference<>() {};

    @Inject
    EntityManager em;

    /** Up to {@code max} organisations matching {@code c} after {@code after} (null for the first page), in order. */
    public List<Hit> search(DirectoryQuery c, After after, int max) {
        boolean withText = c.text() != null && !c.text().isBlank();
        String text = withText ? c.text().strip() : null;
        Statement sql = new Statement();
        // the rank: computed in the select list, and again in the keyset condition (an alias cannot be used there)
        String rank = withText ? "cast(ts_rank(o.search_vector, websearch_to_tsquery('simple', ?)) as float8)" : "0.0";
        sql.addAll(
                "select " + COLUMNS + ", " + rank + " as rank from organisation o",
                withText ? List.of(text) : List.of());
        sql.add(" where o.membership_status = 'APPROVED'");
        if (c.country() != null) {
            sql.add(" and o.country = ?", c.country());
        }
        if (c.region() != null) {
            sql.add(" and o.region = ?", c.region());
        }
        if (c.services() != null && !c.services().isEmpty()) {
            sql.add(" and o.services @> ?", (Object)
                    c.services().stream().map(Enum::name).toArray(String[]::new));
        }
        if (c.language() != null) {
            sql.add(" and ? = any(o.languages)", c.language());
        }
        if (Boolean.TRUE.equals(c.womenOnly())) {
            sql.add(" and o.women_only");
        }
        if (Boolean.TRUE.equals(c.acceptsMinors())) {
            sql.add(" and o.accepts_minors");
        }
        if (Boolean.TRUE.equals(c.withChildren())) {
            sql.add(" and o.accepts_women_with_children");
        }
        if (c.age() != null) {
            sql.add(
                    " and (? >= 18 or o.accepts_minors) and (o.min_age is null or o.min_age <= ?)"
                            + " and (o.max_age is null or o.max_age >= ?)",
                    c.age(),
                    c.age(),
                    c.age());
        }
        if (Boolean.TRUE.equals(c.hasCapacity())) {
            sql.add(" and o.capacity_available > 0");
        }
        if (withText) {
            sql.add(" and o.search_vector @@ websearch_to_tsquery('simple', ?)", text);
        }
        if (after != null) {
            // rank and capacity time descend, id ascends: spell the keyset condition out
            OffsetDateTime afterUpdated = after.capacityUpdatedAt().atOffset(ZoneOffset.UTC);
            List<Object> values = new ArrayList<>();
            if (withText) {
                values.add(text);
            }
            values.add(after.rank());
            if (withText) {
                values.add(text);
            }
            values.addAll(List.of(after.rank(), afterUpdated, afterUpdated, after.id()));
            sql.addAll(
                    " and (" + rank + " < ? or (" + rank + " = ? and (o.capacity_updated_at < ?"
                            + " or (o.capacity_updated_at = ? and o.id > ?))))",
                    values);
        }
        sql.add(" order by rank desc, o.capacity_updated_at desc, o.id asc limit ?", max);
        return em.unwrap(Session.class).doReturningWork(connection -> sql.run(connection));
    }

    /** A statement's text with its parameters, in the order of their {@code ?}. */
    private static final class Statement {
        private final StringBuilder text = new StringBuilder();
        private final List<Object> values = new ArrayList<>();

        void add(String fragment, Object... fragmentValues) {
            addAll(fragment, List.of(fragmentValues));
        }

        void addAll(String fragment, List<?> fragmentValues) {
            if (fragment.chars().filter(ch -> ch == '?').count() != fragmentValues.size()) {
                throw new IllegalArgumentException("as many values as placeholders in: " + fragment);
            }
            text.append(fragment);
            values.addAll(fragmentValues);
        }

        List<Hit> run(Connection connection) throws SQLException {
            try (PreparedStatement st = connection.prepareStatement(text.toString())) {
                for (int i = 0; i < values.size(); i++) {
                    Object v = values.get(i);
                    if (v instanceof String[] array) {
                        st.setArray(i + 1, connection.createArrayOf("text", array));
                    } else {
                        st.setObject(i + 1, v);
                    }
                }
                List<Hit> hits = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        hits.add(new Hit(organisation(rs), rs.getDouble("rank")));
                    }
                }
                return hits;
            }
        }
    }

    private static OrganisationEntity organisation(ResultSet rs) throws SQLException {
        OrganisationEntity o = new OrganisationEntity();
        o.id = rs.getObject("id", UUID.class);
        o.name = rs.getString("name");
        o.description = rs.getString("description");
        o.country = rs.getString("country");
        o.region = rs.getString("region");
        o.services = (String[]) rs.getArray("services").getArray();
        o.languages = (String[]) rs.getArray("languages").getArray();
        o.womenOnly = rs.getBoolean("women_only");
        o.acceptsMinors = rs.getBoolean("accepts_minors");
        o.minAge = rs.getObject("min_age", Integer.class);
        o.maxAge = rs.getObject("max_age", Integer.class);
        o.acceptsWomenWithChildren = rs.getBoolean("accepts_women_with_children");
        o.capacityAvailable = rs.getInt("capacity_available");
        o.capacityMaximum = rs.getObject("capacity_maximum", Integer.class);
        o.capacityUnit = rs.getString("capacity_unit");
        o.capacityUpdatedAt = instant(rs, "capacity_updated_at");
        try {
            o.contactHours = JSON.readValue(rs.getString("contact_hours"), CONTACT_HOURS);
        } catch (java.io.IOException e) {
            throw new SQLException("contact_hours of organisation " + o.id + " is not the stored shape", e);
        }
        o.membershipStatus = rs.getString("membership_status");
        o.membershipSince = instant(rs, "membership_since");
        o.createdAt = instant(rs, "created_at");
        o.updatedAt = instant(rs, "updated_at");
        o.version = rs.getLong("version");
        return o;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
