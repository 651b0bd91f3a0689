package io.regfleet.operator.replica;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.StreamingReplica;
import io.regfleet.operator.reconciler.EmbeddedPostgresResource;

import java.util.Map;

/** A real hot standby of the test database, started on first use; closed, its replication slot dropped, at the end. */
final class TestStandby {
    private final String slot;
    private final int maxConnections;
    private EmbeddedPostgresServer server;

    /** @param maxConnections its max_connections: at least the primary's (30), as a standby requires */
    TestStandby(String slot, int maxConnections) {
        this.slot = slot;
        this.maxConnections = maxConnections;
    }

    synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            server = StreamingReplica.of(EmbeddedPostgresResource.server(), slot,
                    Map.of("max_connections", Integer.toString(maxConnections)));
        }
        return server;
    }

    synchronized void close() {
        if (server != null) {
            server.close();
            StreamingReplica.dropSlot(EmbeddedPostgresResource.server(), slot);
            server = null;
        }
    }
}
