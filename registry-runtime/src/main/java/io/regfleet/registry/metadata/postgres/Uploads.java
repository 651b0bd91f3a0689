package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.blob.UploadState;
import io.regfleet.registry.metadata.UploadSession;
import io.regfleet.registry.metadata.UploadSessions;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Upload sessions. A writer finds and leases the session (one row update), streams its bytes without a connection,
 * then advances the session and drops the lease in one more update: two replicas never write the same session at
 * once. Each is a single statement, run as its own transaction: one round trip.
 */
final class Uploads {
    private Uploads() {
    }

    /**
     * Opens a session, creating its repository when new, in one statement. False when nothing was inserted: the
     * repository was being created by another statement this one's snapshot could not see (asked again, it does).
     */
    static boolean create(Connection c, String id, RepositoryName repository, UploadState state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                WITH created AS (INSERT INTO repository (name) VALUES (?) ON CONFLICT (name) DO NOTHING RETURNING id),
                     repo AS (SELECT id FROM created UNION ALL SELECT id FROM repository WHERE name = ?)
                INSERT INTO upload (id, repository_id, size, driver_state) SELECT ?, id, ?, ? FROM repo LIMIT 1""")) {
            s.setString(1, repository.value());
            s.setString(2, repository.value());
            s.setString(3, id);
            s.setLong(4, state.size());
            s.setString(5, state.driverState());
            return s.executeUpdate() == 1;
        }
    }

    static Optional<UploadSession> find(Connection c, RepositoryName repository, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT u.size, u.driver_state FROM upload u JOIN repository r ON r.id = u.repository_id
                WHERE u.id = ? AND r.name = ?""")) {
            s.setString(1, id);
            s.setString(2, repository.value());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new UploadSession(id, repository.value(), new UploadState(rs.getLong(1), rs.getString(2))));
            }
        }
    }

    /**
     * Takes the write lease of the repository's session when it is at {@code expectedSize} (when given) and nobody
     * else holds a live lease, and answers the session as leased. The row lock the update takes makes two writers
     * racing for it see each other: the second re-checks the lease after the first committed, and finds it taken.
     */
    static Optional<UploadSession> lease(Connection c, RepositoryName repository, String id, OptionalLong expectedSize,
                                         String owner, Duration duration) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE upload u SET lease_owner = ?, lease_until = now() + make_interval(secs => ?)
                FROM repository r
                WHERE u.id = ? AND r.id = u.repository_id AND r.name = ? AND (? OR u.size = ?)
                  AND (u.lease_owner IS NULL OR u.lease_until < now())
                RETURNING u.size, u.driver_state""")) {
            s.setString(1, owner);
            s.setDouble(2, duration.toMillis() / 1000.0);
            s.setString(3, id);
            s.setString(4, repository.value());
            s.setBoolean(5, expectedSize.isEmpty());
            s.setLong(6, expectedSize.orElse(-1));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next()
                        ? Optional.of(new UploadSession(id, repository.value(), new UploadState(rs.getLong(1), rs.getString(2))))
                        : Optional.empty();
            }
        }
    }

    /** Extends the lease the owner holds (even one that lapsed unnoticed); false when another writer took it. */
    static boolean renew(Connection c, String id, String owner, Duration duration) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE upload SET lease_until = now() + make_interval(secs => ?) WHERE id = ? AND lease_owner = ?")) {
            s.setDouble(1, duration.toMillis() / 1000.0);
            s.setString(2, id);
            s.setString(3, owner);
            return s.executeUpdate() == 1;
        }
    }

    /** Records the new state and drops the lease; false when the lease was lost (expired and taken). */
    static boolean advance(Connection c, String id, String owner, UploadState state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE upload SET size = ?, driver_state = ?, lease_owner = NULL, lease_until = NULL, updated_at = now()
                WHERE id = ? AND lease_owner = ?""")) {
            s.setLong(1, state.size());
            s.setString(2, state.driverState());
            s.setString(3, id);
            s.setString(4, owner);
            return s.executeUpdate() == 1;
        }
    }

    /** Drops the lease without advancing (the write failed). */
    static void release(Connection c, String id, String owner) throws SQLException {
        Sql.changes(c, "UPDATE upload SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
                id, owner);
    }

    /** A session that ended, and the digest it was committing (null if none). */
    record Ended(String committing) {
    }

    /** Ends the session; null when there was none. */
    static Ended end(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM upload WHERE id = ? RETURNING committing_digest")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Ended(rs.getString(1)) : null;
            }
        }
    }

    /**
     * Unless a deletion of the digest's bytes is pending, records the session's state and marks it as writing the
     * digest's bytes into the blob store, while {@code owner} holds its lease; in one round trip and one transaction,
     * under the digest's deletion lock ({@link Deletions#lockThen}): the claim's snapshot is taken after the lock was
     * granted, so it sees a deletion that committed while the lock was waited for.
     */
    static UploadSessions.CommitClaim committing(Connection c, UploadSession session, String owner, Digest digest)
            throws SQLException {
        try (PreparedStatement s = Deletions.lockThen(c, """
                WITH pending AS (SELECT EXISTS (SELECT 1 FROM blob_deletion WHERE digest = ?) AS deleting),
                     claimed AS (UPDATE upload SET committing_digest = ?, size = ?, driver_state = ?, updated_at = now()
                                 FROM pending WHERE NOT pending.deleting AND id = ? AND lease_owner = ? RETURNING 1)
                SELECT deleting, EXISTS (SELECT 1 FROM claimed) FROM pending""")) {
            s.setString(1, digest.toString());
            s.setString(2, digest.toString());
            s.setString(3, digest.toString());
            s.setLong(4, session.state().size());
            s.setString(5, session.state().driverState());
            s.setString(6, session.id());
            s.setString(7, owner);
            try (ResultSet rs = Deletions.rowsAfterLock(s)) {
                rs.next();
                return rs.getBoolean(1) ? UploadSessions.CommitClaim.DELETING
                        : rs.getBoolean(2) ? UploadSessions.CommitClaim.CLAIMED : UploadSessions.CommitClaim.LEASE_LOST;
            }
        }
    }

    /** Sessions untouched for longer than {@code age} and not leased: abandoned, to be purged. */
    static List<UploadSession> abandoned(Connection c, Duration age, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT u.id, r.name, u.size, u.driver_state FROM upload u
                JOIN repository r ON r.id = u.repository_id
                WHERE u.updated_at < now() - make_interval(secs => ?) AND (u.lease_owner IS NULL OR u.lease_until < now())
                ORDER BY u.updated_at LIMIT ?""")) {
            s.setDouble(1, age.toSeconds());
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                List<UploadSession> sessions = new ArrayList<>();
                while (rs.next()) {
                    sessions.add(new UploadSession(rs.getString(1), rs.getString(2),
                            new UploadState(rs.getLong(3), rs.getString(4))));
                }
                return sessions;
            }
        }
    }
}
