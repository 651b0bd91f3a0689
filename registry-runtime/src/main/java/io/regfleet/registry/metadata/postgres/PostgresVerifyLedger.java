package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.DigestRange;
import io.regfleet.registry.metadata.VerifyLedger;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verify progress in PostgreSQL (V4): ranges are claimed with {@code FOR UPDATE SKIP LOCKED} under a lease timed by
 * the database's clock, so processes on several machines share a run without trusting each other's clocks.
 */
@ApplicationScoped
public class PostgresVerifyLedger implements VerifyLedger {
    /** Serialises the choice between continuing a run and starting one. */
    private static final long BEGIN_LOCK = 0x7265_6766_7665_7269L;

    private final Database db;

    PostgresVerifyLedger(Database db) {
        this.db = db;
    }

    @Override
    public Run begin(boolean deep, boolean fresh) {
        return db.transaction(c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, BEGIN_LOCK);
                lock.execute();
            }
            if (!fresh) {
                try (PreparedStatement s = c.prepareStatement("""
                        SELECT id, started_at FROM verify_run WHERE finished_at IS NULL AND deep = ?
                        ORDER BY id DESC LIMIT 1""")) {
                    s.setBoolean(1, deep);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            return new Run(rs.getLong(1), deep, true, rs.getTimestamp(2).toInstant());
                        }
                    }
                }
            }
            Run run;
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO verify_run (deep) VALUES (?) RETURNING id, started_at")) {
                s.setBoolean(1, deep);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    run = new Run(rs.getLong(1), deep, false, rs.getTimestamp(2).toInstant());
                }
            }
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO verify_range (run_id, kind, range_index)
                    SELECT ?, kind, i FROM unnest(?::text[]) AS kind, generate_series(0, ? - 1) AS i""")) {
                s.setLong(1, run.id());
                s.setArray(2, c.createArrayOf("text", new Object[]{Kind.MANIFEST.label(), Kind.BLOB.label()}));
                s.setInt(3, DigestRange.COUNT);
                s.executeUpdate();
            }
            return run;
        });
    }

    @Override
    public Optional<Claim> claim(long run, String owner, Duration lease) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    UPDATE verify_range v SET lease_owner = ?, lease_until = now() + make_interval(secs => ?)
                    FROM (SELECT run_id, kind, range_index FROM verify_range
                          WHERE run_id = ? AND NOT done AND (lease_until IS NULL OR lease_until < now())
                          ORDER BY range_index, kind LIMIT 1 FOR UPDATE SKIP LOCKED) free
                    WHERE v.run_id = free.run_id AND v.kind = free.kind AND v.range_index = free.range_index
                    RETURNING v.kind, v.range_index, v.last_key""")) {
                s.setString(1, owner);
                s.setDouble(2, seconds(lease));
                s.setLong(3, run);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Claim(run, Kind.of(rs.getString(1)), rs.getInt(2), rs.getString(3), owner))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean record(Claim claim, Progress progress, Duration lease) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    UPDATE verify_range SET last_key = ?, done = ?, checked = checked + ?, bytes = bytes + ?,
                        lease_owner = CASE WHEN ? THEN NULL ELSE lease_owner END,
                        lease_until = CASE WHEN ? THEN NULL ELSE now() + make_interval(secs => ?) END
                    WHERE run_id = ? AND kind = ? AND range_index = ? AND lease_owner = ?""")) {
                s.setString(1, progress.cursor());
                s.setBoolean(2, progress.done());
                s.setLong(3, progress.checked());
                s.setLong(4, progress.bytes());
                s.setBoolean(5, progress.done());
                s.setBoolean(6, progress.done());
                s.setDouble(7, seconds(lease));
                s.setLong(8, claim.run());
                s.setString(9, claim.kind().label());
                s.setInt(10, claim.range());
                s.setString(11, claim.owner());
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            insertFailures(c, claim.run(), progress.failures());
            return true;
        });
    }

    @Override
    public boolean renew(Claim claim, Duration lease) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    UPDATE verify_range SET lease_until = now() + make_interval(secs => ?)
                    WHERE run_id = ? AND kind = ? AND range_index = ? AND lease_owner = ?""")) {
                s.setDouble(1, seconds(lease));
                s.setLong(2, claim.run());
                s.setString(3, claim.kind().label());
                s.setInt(4, claim.range());
                s.setString(5, claim.owner());
                return s.executeUpdate() > 0;
            }
        });
    }

    private static void insertFailures(Connection c, long run, List<Failure> failures) throws SQLException {
        if (failures.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO verify_failure (run_id, kind, digest, repository, detail) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            for (Failure failure : failures) {
                s.setLong(1, run);
                s.setString(2, failure.kind());
                s.setString(3, failure.digest());
                s.setString(4, failure.repository());
                s.setString(5, failure.detail());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    @Override
    public void release(long run, String owner) {
        db.transaction(c -> Sql.changes(c, """
                UPDATE verify_range SET lease_owner = NULL, lease_until = NULL
                WHERE run_id = CAST(? AS bigint) AND lease_owner = ?""", Long.toString(run), owner));
    }

    @Override
    public Status status(long run, int failureLimit) {
        return db.read(c -> {
            boolean deep;
            boolean finished;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT deep, finished_at IS NOT NULL FROM verify_run WHERE id = ?")) {
                s.setLong(1, run);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no verify run " + run);
                    }
                    deep = rs.getBoolean(1);
                    finished = rs.getBoolean(2);
                }
            }
            Map<Kind, Totals> totals = new EnumMap<>(Kind.class);
            int done = 0;
            int all = 0;
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT kind, sum(checked), sum(bytes), count(*) FILTER (WHERE done), count(*)
                    FROM verify_range WHERE run_id = ? GROUP BY kind""")) {
                s.setLong(1, run);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        totals.put(Kind.of(rs.getString(1)), new Totals(rs.getLong(2), rs.getLong(3)));
                        done += rs.getInt(4);
                        all += rs.getInt(5);
                    }
                }
            }
            return new Status(run, deep, finished, totals, done, all, failuresByKind(c, run),
                    failures(c, run, failureLimit));
        });
    }

    private static Map<String, Long> failuresByKind(Connection c, long run) throws SQLException {
        Map<String, Long> byKind = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT kind, count(*) FROM verify_failure WHERE run_id = ? GROUP BY kind")) {
            s.setLong(1, run);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    byKind.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return byKind;
    }

    private static List<Failure> failures(Connection c, long run, int limit) throws SQLException {
        List<Failure> failures = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT kind, digest, repository, detail FROM verify_failure WHERE run_id = ?
                ORDER BY kind, digest, repository LIMIT ?""")) {
            s.setLong(1, run);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    failures.add(new Failure(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return failures;
    }

    @Override
    public boolean finish(long run) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    UPDATE verify_run SET finished_at = coalesce(finished_at, now())
                    WHERE id = ? AND NOT EXISTS (SELECT 1 FROM verify_range WHERE run_id = ? AND NOT done)""")) {
                s.setLong(1, run);
                s.setLong(2, run);
                return s.executeUpdate() > 0;
            }
        });
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
