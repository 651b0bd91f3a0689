package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.blob.UploadState;
import io.regfleet.registry.metadata.UploadSession;
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

/**
 * Upload sessions. A writer takes a lease (one row update), streams its bytes without a connection, then advances
 * the session and drops the lease in one more update: two replicas never write the same session at once.
 */
final class Uploads {
    private Uploads() {
    }

    static void create(Connection c, String id, long repositoryId, UploadState state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO upload (id, repository_id, size, driver_state) VALUES (?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setLong(2, repositoryId);
            s.setLong(3, state.size());
            s.setString(4, state.driverState());
            s.executeUpdate();
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

    /** Takes the write lease when the session is at {@code expectedSize} and nobody else holds a live lease. */
    static boolean lease(Connection c, String id, long expectedSize, String owner, Duration duration)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE upload SET lease_owner = ?, lease_until = now() + make_interval(secs => ?)
                WHERE id = ? AND size = ? AND (lease_owner IS NULL OR lease_until < now())""")) {
            s.setString(1, owner);
            s.setDouble(2, duration.toMillis() / 1000.0);
            s.setString(3, id);
            s.setLong(4, expectedSize);
            return s.executeUpdate() == 1;
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

    static boolean delete(Connection c, String id) throws SQLException {
        return Sql.changes(c, "DELETE FROM upload WHERE id = ?", id);
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

    /** Marks the session as writing the digest's bytes into the blob store; false when there is no such session. */
    static boolean committing(Connection c, String id, Digest digest) throws SQLException {
        return Sql.changes(c, "UPDATE upload SET committing_digest = ? WHERE id = ?", digest.toString(), id);
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
