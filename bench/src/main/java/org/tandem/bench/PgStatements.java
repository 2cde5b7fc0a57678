package org.tandem.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.tandem.devstack.Endpoints;

/**
 * Where PostgreSQL's time goes while one rate is offered: its own statement statistics ({@code pg_stat_statements},
 * which the local stack loads), cleared before the rate and read after it. The CPU figures say how much PostgreSQL
 * works per transition; this says for which statements, and how many of each a transition costs. Query texts are
 * normalised by PostgreSQL (constants become {@code $n}), so no value a service sent reaches the report. It is the
 * {@link LatencyRun.LoadWindow} of the rate it watches.
 */
final class PgStatements implements LatencyRun.LoadWindow {

    /** One normalised statement: the role that ran it, its calls, and its planning and execution time in ms. */
    record Row(String role, String query, long calls, double planMs, double execMs) {
        double totalMs() {
            return planMs + execMs;
        }
    }

    private final Endpoints endpoints;

    /** Whether the window's opening cleared the statistics; what they held when it closed. */
    private boolean cleared;

    private List<Row> read = List.of();

    PgStatements(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void opens() {
        cleared = reset();
        read = List.of();
    }

    @Override
    public void closes() throws SQLException {
        if (cleared) {
            read = read();
        }
    }

    /** The report's section for the window that closed last, or nothing when it had no statistics. */
    Optional<String> section(int rate, long transitions, int top) {
        return cleared ? Optional.of(markdown(rate, transitions, read, top)) : Optional.empty();
    }

    /** Clears the statistics; false when the extension is not there (a stack started by an older launcher). */
    private boolean reset() {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("select pg_stat_statements_reset()");
            return true;
        } catch (SQLException e) {
            System.out.println("[bench] no statement statistics: " + e.getMessage());
            return false;
        }
    }

    /** The statements run since {@link #reset()}, most time first. */
    private List<Row> read() throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        select r.rolname, s.query, s.calls, s.total_plan_time, s.total_exec_time
                        from pg_stat_statements s join pg_roles r on r.oid = s.userid
                        where s.query not like '%pg_stat_statements%'
                        order by s.total_plan_time + s.total_exec_time desc""")) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4), rs.getDouble(5)));
            }
        }
        return rows;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.superuser(), endpoints.superuserPassword());
    }

    /**
     * The report's section: the {@code top} statements by time while {@code rate} transitions a second were offered,
     * per transition, and what all statements came to.
     */
    static String markdown(int rate, long transitions, List<Row> rows, int top) {
        StringBuilder md = new StringBuilder();
        double allMs = rows.stream().mapToDouble(Row::totalMs).sum();
        long allCalls = rows.stream().mapToLong(Row::calls).sum();
        md.append(String.format(
                Locale.ROOT,
                "## Where PostgreSQL's time goes at %d/s\n\nFrom PostgreSQL's statement statistics"
                        + " (`pg_stat_statements`, planning and execution; not the time a backend spends"
                        + " receiving, parsing and answering), cleared before this rate and read after it:"
                        + " %,d statements for %,d transitions, %.1f per transition, %.3f ms per transition."
                        + " The %d that took the most time:\n\n",
                rate,
                allCalls,
                transitions,
                allCalls / (double) Math.max(1, transitions),
                allMs / Math.max(1, transitions),
                Math.min(top, rows.size())));
        md.append("| role | statement | calls per transition | planning µs per call | execution µs per call"
                + " | ms per transition | share |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows.subList(0, Math.min(top, rows.size()))) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | `%s` | %.2f | %.1f | %.1f | %.3f | %.0f%% |\n",
                    r.role(),
                    shorten(r.query()),
                    r.calls() / (double) Math.max(1, transitions),
                    1000 * r.planMs() / Math.max(1, r.calls()),
                    1000 * r.execMs() / Math.max(1, r.calls()),
                    r.totalMs() / Math.max(1, transitions),
                    100 * r.totalMs() / Math.max(1e-9, allMs)));
        }
        return md.append('\n').toString();
    }

    /** One line, at most 160 characters, with nothing that breaks a Markdown table. */
    static String shorten(String query) {
        String one = query.replaceAll("\\s+", " ")
                .replace("|", "\\|")
                .replace("`", "'")
                .trim();
        return one.length() <= 160 ? one : one.substring(0, 157) + "...";
    }
}
