package org.tandem.notification.support;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.tandem.devstack.Endpoints;
import org.tandem.notification.secrets.SecretEnvelope;
import org.tandem.notification.secrets.WebhookSecrets;
import org.tandem.testing.TestInfrastructure;

/** The test database as its superuser sees it: every database, schema and table, and the sealed columns. */
public final class Database {

    private Database() {}

    public static Connection superuser(String database) throws SQLException {
        Endpoints e = TestInfrastructure.endpoints();
        String url = e.jdbcUrl().substring(0, e.jdbcUrl().lastIndexOf('/') + 1) + database;
        return DriverManager.getConnection(url, e.superuser(), e.superuserPassword());
    }

    /** The database that holds the services' schemas. */
    public static Connection tandem() throws SQLException {
        String url = TestInfrastructure.endpoints().jdbcUrl();
        return superuser(url.substring(url.lastIndexOf('/') + 1));
    }

    /** What {@link #scanEverything} found: the tables read, their rows, and the tables where each group of needles matched. */
    public record Scan(
            List<String> tables,
            long rows,
            java.util.Map<String, Long> secretHits,
            java.util.Map<String, Long> controlHits) {}

    /**
     * Reads every row of every base table of every schema of every database on the server, as the superuser,
     * and counts per table the rows in which any of {@code secrets}, and any of {@code controls}, occurs: in the
     * row as text (bytea columns in hex, as PostgreSQL writes them) or in a bytea column as base64. PostgreSQL
     * does the matching ({@code like any}), so that the whole server is read in reasonable time.
     */
    public static Scan scanEverything(List<String> secrets, List<String> controls) throws SQLException {
        List<String> databases = new ArrayList<>();
        try (Connection c = tandem();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "select datname from pg_database where datallowconn and not datistemplate order by 1")) {
            while (r.next()) {
                databases.add(r.getString(1));
            }
        }
        List<String> read = new ArrayList<>();
        java.util.Map<String, Long> secretHits = new java.util.LinkedHashMap<>();
        java.util.Map<String, Long> controlHits = new java.util.LinkedHashMap<>();
        long rows = 0;
        for (String database : databases) {
            try (Connection c = superuser(database)) {
                Array secretPatterns = c.createArrayOf(
                        "text", secrets.stream().map(Database::likePattern).toArray());
                Array controlPatterns = c.createArrayOf(
                        "text", controls.stream().map(Database::likePattern).toArray());
                List<String[]> tables = new ArrayList<>();
                try (Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("""
                        select table_schema, table_name from information_schema.tables
                        where table_type = 'BASE TABLE' order by 1, 2""")) {
                    while (r.next()) {
                        tables.add(new String[] {r.getString(1), r.getString(2)});
                    }
                }
                for (String[] t : tables) {
                    String table = quote(t[0]) + "." + quote(t[1]);
                    String name = database + "." + t[0] + "." + t[1];
                    StringBuilder texts = new StringBuilder("whole_row::text");
                    for (String column : byteaColumns(c, t[0], t[1])) {
                        texts.append(" || ' ' || coalesce(replace(encode(whole_row.")
                                .append(quote(column))
                                .append(", 'base64'), E'\\n', ''), '')");
                    }
                    try (PreparedStatement p =
                            c.prepareStatement("select count(*), count(*) filter (where t like any (?)),"
                                    + " count(*) filter (where t like any (?)) from (select " + texts + " as t from "
                                    + table + " whole_row) v")) {
                        p.setArray(1, secretPatterns);
                        p.setArray(2, controlPatterns);
                        try (ResultSet r = p.executeQuery()) {
                            r.next();
                            rows += r.getLong(1);
                            if (r.getLong(2) > 0) {
                                secretHits.put(name, r.getLong(2));
                            }
                            if (r.getLong(3) > 0) {
                                controlHits.put(name, r.getLong(3));
                            }
                        }
                    }
                    read.add(name);
                }
            }
        }
        return new Scan(read, rows, secretHits, controlHits);
    }

    /** {@code %needle%}, with LIKE's own characters escaped. */
    static String likePattern(String needle) {
        return "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static List<String> byteaColumns(Connection c, String schema, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("""
                select column_name from information_schema.columns
                where table_schema = ? and table_name = ? and data_type = 'bytea'""")) {
            p.setString(1, schema);
            p.setString(2, table);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    columns.add(r.getString(1));
                }
            }
        }
        return columns;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** The sealed values of one endpoint's row: secret, previous secret, Ed25519 private key (nulls kept). */
    public static List<String> sealed(UUID endpointId) throws SQLException {
        try (Connection c = tandem();
                PreparedStatement p = c.prepareStatement("""
                select secret_sealed, previous_secret_sealed, ed25519_private_key_sealed
                from notification.webhook_endpoint where id = ?""")) {
            p.setObject(1, endpointId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw new AssertionError("no webhook endpoint " + endpointId);
                }
                List<String> values = new ArrayList<>();
                values.add(r.getString(1));
                values.add(r.getString(2));
                values.add(r.getString(3));
                return values;
            }
        }
    }

    /**
     * Opens every sealed value of the endpoints ({@code null}: all) with {@code from} and seals it again with
     * {@code to}: what a deployment with {@code to}'s configuration would have written. Returns the values moved.
     */
    public static int reseal(List<UUID> endpoints, SecretEnvelope from, SecretEnvelope to) throws SQLException {
        int moved = 0;
        try (Connection c = tandem()) {
            c.setAutoCommit(false);
            List<UUID> ids = new ArrayList<>();
            if (endpoints == null) {
                try (Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("select id from notification.webhook_endpoint")) {
                    while (r.next()) {
                        ids.add(r.getObject(1, UUID.class));
                    }
                }
            } else {
                ids.addAll(endpoints);
            }
            for (UUID id : ids) {
                List<String> values = new ArrayList<>();
                try (PreparedStatement p = c.prepareStatement("""
                        select secret_sealed, previous_secret_sealed, ed25519_private_key_sealed
                        from notification.webhook_endpoint where id = ? for update""")) {
                    p.setObject(1, id);
                    try (ResultSet r = p.executeQuery()) {
                        r.next();
                        for (int i = 0; i < 3; i++) {
                            String value = r.getString(i + 1);
                            if (value != null) {
                                String context = WebhookSecrets.context(WebhookSecrets.COLUMNS.get(i), id);
                                value = to.seal(from.open(value, context), context);
                                moved++;
                            }
                            values.add(value);
                        }
                    }
                }
                try (PreparedStatement p = c.prepareStatement("""
                        update notification.webhook_endpoint
                        set secret_sealed = ?, previous_secret_sealed = ?, ed25519_private_key_sealed = ? where id = ?""")) {
                    p.setString(1, values.get(0));
                    p.setString(2, values.get(1));
                    p.setString(3, values.get(2));
                    p.setObject(4, id);
                    p.executeUpdate();
                }
            }
            c.commit();
        }
        return moved;
    }
}
