package org.tandem.referral.casefile;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.tandem.testing.TestInfrastructure;

/** Direct reads of referral-service's schema, for what the API deliberately does not show. */
final class Database {

    private Database() {}

    static Connection connect() throws SQLException {
        var e = TestInfrastructure.endpoints();
        return DriverManager.getConnection(e.jdbcUrl(), e.dbUser("referral"), e.dbPassword("referral"));
    }

    static long count(String sql) {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> auditActions(UUID referral) {
        List<String> out = new ArrayList<>();
        try (Connection c = connect();
                var s = c.prepareStatement(
                        "select action from referral_audit.audit_log where resource_id = ? and outcome = 'ALLOWED' order by seq")) {
            s.setString(1, referral.toString());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * Every table of the referral schema, every row as text (bytea as hex): the places where the marker
     * was found, as "table" or "table (hex)".
     */
    static List<String> tablesContaining(String marker) {
        String hex = HexFormat.of().formatHex(marker.getBytes(StandardCharsets.UTF_8));
        List<String> found = new ArrayList<>();
        try (Connection c = connect()) {
            List<String> tables = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "select table_name from information_schema.tables where table_schema = 'referral' and table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertNotEmpty(tables);
            for (String table : tables) {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("select t::text from referral.\"" + table + "\" t")) {
                    while (rs.next()) {
                        String row = rs.getString(1);
                        if (row.contains(marker)) {
                            found.add(table);
                        }
                        if (row.toLowerCase(java.util.Locale.ROOT).contains(hex)) {
                            found.add(table + " (hex)");
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    private static void assertNotEmpty(List<String> tables) {
        if (!tables.contains("case_file") || !tables.contains("referral")) {
            throw new AssertionError("the referral schema was not found: " + tables);
        }
    }
}
