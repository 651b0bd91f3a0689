package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.postgres.replica.ReadKind;
import io.regfleet.registry.metadata.postgres.replica.ReadReplica;
import io.regfleet.registry.metadata.postgres.replica.ReadReplicas;
import io.regfleet.registry.oci.RepositoryName;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Lag-tolerant reads: on a replica that has replayed what the read requires ({@link ReadReplicas#route}), else on
 * the primary. A replica's "not found" for what is immutable once written is asked of the primary again (it may not
 * have replayed the write yet); a replica that fails is marked for a health check and the read asked of the primary.
 */
final class ReplicaReads {
    private static final Logger LOG = Logger.getLogger(ReplicaReads.class);
    private final Database db;
    private final ReadReplicas replicas;

    /** Reads on the database's primary, and on its read replicas ({@link Database#replicas()}). */
    ReplicaReads(Database db) {
        this.db = db;
        this.replicas = db.replicas();
    }

    /** @param found whether the answer found what was asked for (a replica's miss may be asked of the primary) */
    <T> T read(ReadKind kind, RepositoryName repository, Database.Work<T> work, Predicate<T> found) {
        Optional<ReadReplica> replica = replicas.route(kind, repository);
        if (replica.isPresent()) {
            Answer<T> answer = ask(replica.get(), work);
            if (answer != null && (found.test(answer.value()) || !kind.absentAskedOfPrimary())) {
                replica.get().answered();
                return answer.value();
            }
        }
        T answer = db.read(work);
        if (replicas.active()) {
            replicas.primaryAnswered();
        }
        return answer;
    }

    /** A replica's answer (which may be null or empty). */
    private record Answer<T>(T value) {
    }

    /**
     * The replica's answer, or null: no connection within the pool's short wait (busy, or down: the monitor judges
     * that), or the read failed, and the replica is then out until the monitor finds it well.
     */
    private <T> Answer<T> ask(ReadReplica replica, Database.Work<T> work) {
        Connection c;
        try {
            c = replica.connection();
        } catch (SQLException e) {
            return null;
        }
        try (c) {
            return new Answer<>(work.run(c));
        } catch (SQLException e) {
            LOG.debugf("read replica %s failed a read, asking the primary: %s", replica.name(), e.getMessage());
            replica.unreachable(replicas.writes().newest());
            return null;
        }
    }

    /** {@link #read} of what is not found-or-not (a listing): every answer counts. */
    <T> T read(ReadKind kind, RepositoryName repository, Database.Work<T> work) {
        return read(kind, repository, work, answer -> true);
    }
}
