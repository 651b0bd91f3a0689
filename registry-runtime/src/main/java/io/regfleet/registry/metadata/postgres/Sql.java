package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.Page;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The statement shapes the row helpers share. */
final class Sql {
    private Sql() {
    }

    /**
     * Two statements as one prepared statement, their parameters numbered across both (the first's first). The driver
     * sends them before one Sync: one round trip where they took two, in one transaction (the caller's, or the
     * protocol's implicit one in autocommit mode, which Sync ends). In READ COMMITTED the second takes its snapshot as
     * it starts: after the first is done and any lock it waited for is granted. Run it with {@link #firstRows}, then
     * {@link #nextRows} or {@link #nextCount}.
     */
    static PreparedStatement together(Connection c, String first, String second) throws SQLException {
        return c.prepareStatement(first + ";\n" + second);
    }

    /** Runs a {@link #together} statement whose first part is a query; its rows. */
    static ResultSet firstRows(PreparedStatement together) throws SQLException {
        if (!together.execute()) {
            throw new SQLException("the first statement answered no rows");
        }
        return together.getResultSet();
    }

    /** The rows of a {@link #together} statement's second part, a query (closes the first's). */
    static ResultSet nextRows(PreparedStatement together) throws SQLException {
        if (!together.getMoreResults()) {
            throw new SQLException("the second statement answered no rows");
        }
        return together.getResultSet();
    }

    /** How many rows a {@link #together} statement's second part, an update, changed (closes the first's rows). */
    static int nextCount(PreparedStatement together) throws SQLException {
        if (together.getMoreResults()) {
            throw new SQLException("the second statement answered rows, not a count");
        }
        return together.getUpdateCount();
    }

    /** Runs an update whose parameters are all text; true when it changed at least one row. */
    static boolean changes(Connection c, String sql, String... parameters) throws SQLException {
        return count(c, sql, parameters) > 0;
    }

    /** Runs an update whose parameters are all text; returns how many rows it changed. */
    static int count(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            return s.executeUpdate();
        }
    }

    /**
     * One page of names: {@code sql} selects one text column in order, takes {@code keys} as its first parameters
     * and a row limit as its last; one row more than the page is read to know whether more follow.
     */
    static Page page(Connection c, String sql, int limit, Object... keys) throws SQLException {
        if (limit == 0) {
            return Page.EMPTY;
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < keys.length; i++) {
                s.setObject(i + 1, keys[i]);
            }
            s.setInt(keys.length + 1, limit + 1);
            try (ResultSet rs = s.executeQuery()) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                return Page.of(names, limit);
            }
        }
    }
}
