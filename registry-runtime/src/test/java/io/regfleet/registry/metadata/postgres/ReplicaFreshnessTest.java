package io.regfleet.registry.metadata.postgres;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.registry.governance.ListenerConnection;
import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.metadata.cache.CacheSettings;
import io.regfleet.registry.metadata.cache.MetadataCache;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RepositoryName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;

import static io.regfleet.registry.Await.until;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas (two stores, each behind its own cache, each with its own connections) on one PostgreSQL: a tag
 * re-pushed through one is served fresh by the other once the notice is heard, the stale bound holds while the other
 * hears nothing, and a listener whose connection the server ends listens again. The reading replica's cache runs on a
 * clock that stands still unless the test moves it, so only a notice (or the test) can make it forget.
 */
class ReplicaFreshnessTest {
    private static final String DATABASE = "regfleet";
    private static final String LISTENER = "replica-b/listen";
    private static final String IMAGE = "application/vnd.oci.image.manifest.v1+json";
    private static final CacheSettings SETTINGS = new CacheSettings(1000, 1 << 20, Duration.ofMinutes(5),
            Duration.ofSeconds(2));
    private static EmbeddedPostgresServer server;

    private final AtomicLong clock = new AtomicLong();
    private final List<ChangeListener> listeners = new ArrayList<>();

    /** One replica: its store behind its cache, over connections of its own. */
    private record Replica(Database db, MetadataStore store, MetadataCache cache) {
        Digest push(RepositoryName repository, String tag, String text) {
            byte[] content = ("{\"content\":\"" + text + "\"}").getBytes(UTF_8);
            Digest digest = Digest.sha256Of(content);
            store.putManifest(repository, digest, new ParsedManifest(IMAGE, List.of(), List.of(), null, null, null),
                    content, tag);
            return digest;
        }

        Digest pull(RepositoryName repository, String tag) {
            return store.manifest(repository, new Reference.Tag(tag)).map(StoredManifest::digest).orElse(null);
        }
    }

    @BeforeAll
    static void startPostgres() {
        server = MigratedPostgres.start(DATABASE);
    }

    @AfterAll
    static void stopPostgres() {
        server.close();
    }

    @AfterEach
    void stopListeners() throws InterruptedException {
        for (ChangeListener listener : listeners) {
            listener.stop();
        }
    }

    @Test
    void aTagRepushedThroughOneReplicaIsServedFreshByTheOtherOnceTheNoticeIsHeard() {
        RepositoryName repository = new RepositoryName("fresh/notice");
        Replica a = replica();
        Replica b = replica();
        listen(b);
        until(b.cache()::hearing, "replica b hears the others");
        Digest v1 = a.push(repository, "latest", "v1");
        // the push's own notice may still be on its way and make b forget once more: poll until b remembers
        until(() -> {
            long hits = b.cache().stats().hitCount();
            return v1.equals(b.pull(repository, "latest")) && b.cache().stats().hitCount() > hits;
        }, "b answers the tag from memory");

        Digest v2 = a.push(repository, "latest", "v2");

        until(() -> v2.equals(b.pull(repository, "latest")), "b serves the re-pushed tag (its clock stands still)");
    }

    @Test
    void whileTheOtherReplicasAreNotHeardAStaleTagLivesNoLongerThanTheStaleBound() {
        RepositoryName repository = new RepositoryName("fresh/bound");
        Replica a = replica();
        Replica b = replica(); // no listener: it never hears the others
        Digest v1 = a.push(repository, "latest", "v1");
        assertEquals(v1, b.pull(repository, "latest"));
        assertFalse(b.cache().hearing());

        Digest v2 = a.push(repository, "latest", "v2");
        clock.addAndGet(SETTINGS.staleBound().toNanos() - 1);
        assertEquals(v1, b.pull(repository, "latest"), "remembered up to the bound");
        clock.addAndGet(1);

        assertEquals(v2, b.pull(repository, "latest"), "never past the bound");
    }

    @Test
    void aListenerWhoseConnectionTheServerEndsListensAgainAndForgetsWhatItMayHaveMissed() throws Exception {
        RepositoryName repository = new RepositoryName("fresh/reconnect");
        Replica a = replica();
        Replica b = replica();
        listen(b);
        until(() -> b.cache().hearing() && listenerPid().isPresent(), "replica b hears the others");
        int first = listenerPid().getAsInt();
        Digest v1 = a.push(repository, "latest", "v1");
        assertEquals(v1, b.pull(repository, "latest"));

        server.execute("postgres", "SELECT pg_terminate_backend(" + first + ")");
        Digest v2 = a.push(repository, "latest", "v2");

        until(() -> b.cache().hearing() && listenerPid().isPresent() && listenerPid().getAsInt() != first,
                "replica b listens again on a new connection");
        until(() -> v2.equals(b.pull(repository, "latest")), "b serves the tag re-pushed while it was not listening");
        Digest v3 = a.push(repository, "latest", "v3");
        until(() -> v3.equals(b.pull(repository, "latest")), "b hears the notices on its new connection");
    }

    private Replica replica() {
        Database db = new Database(() -> {
            Connection c = server.superuserConnection(DATABASE);
            return new Database.Lease(c, c::close);
        });
        MetadataCache cache = new MetadataCache(SETTINGS, clock::get, false);
        db.subscribe(cache);
        return new Replica(db, cache.over(new PostgresMetadataStore(db)), cache);
    }

    private void listen(Replica replica) {
        ChangeListener listener = new ChangeListener(replica.db(),
                () -> DriverManager.getConnection(server.jdbcUrl(DATABASE) + "?ApplicationName=" + LISTENER,
                        EmbeddedPostgresServer.SUPERUSER, "postgres"),
                new ListenerConnection(true, 10), SETTINGS.heartbeat());
        listeners.add(listener);
        listener.start();
    }

    private static OptionalInt listenerPid() {
        try (Connection c = server.superuserConnection("postgres");
             PreparedStatement s = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, LISTENER);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
