package io.regfleet.e2e;

import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.PodState;
import io.regfleet.fleet.local.FleetOptions;
import io.regfleet.fleet.local.LocalFleet;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import static io.regfleet.e2e.FleetObserver.describe;
import static io.regfleet.e2e.FleetObserver.figure;
import static io.regfleet.e2e.FleetObserver.has;
import static io.regfleet.e2e.FleetObserver.pod;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Server-side reaping: a replica stopped by SIGSTOP under load cannot close its connections, so PostgreSQL ends them
 * (idle_session_timeout, sent with every session). Its sessions are gone within the timeout + 5 s; the rebalancer
 * keeps counting it at its last allocation while it is silent (it would reconnect up to that on resume), and when it
 * resumes and reconnects the fleet stays within its budget.
 */
class IdleReapingTest {
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration IDLE_SESSION_TIMEOUT = Duration.ofSeconds(6);

    @Test
    void aStoppedReplicasSessionsEndOnTheServerAndItStaysCountedUntilItAnswers() throws Exception {
        FleetOptions options = FleetOptions.defaults()
                .withReplicas(2, 2)
                .withMaxConnections(30)
                .withTiming(INTERVAL, INTERVAL)
                .withDatabaseLatency(Duration.ofMillis(2))
                .withExtraProperties(Map.of("quarkus.log.level", "WARN",
                        "regfleet.pool.idle-timeout", "2S",
                        "regfleet.pool.idle-session-timeout", IDLE_SESSION_TIMEOUT.toSeconds() + "S",
                        "regfleet.pool.idle-in-transaction-timeout", IDLE_SESSION_TIMEOUT.toSeconds() + "S"));
        try (LocalFleet fleet = LocalFleet.start(options);
             ConnectionSampler sampler = new ConnectionSampler(fleet.database())) {
            int available = fleet.limits().available();
            FleetObserver rounds = new FleetObserver(fleet);
            String manifest = Fleets.pushImage(fleet.front().toString());
            String name = "regfleet/" + fleet.registry() + "/replica-2";
            try (LoadGenerator load = new LoadGenerator(8, () -> fleet.replica("replica-2").api() + manifest);
                 Connection watcher = fleet.database().superuserConnection("postgres")) {
                awaitSessions(watcher, name, n -> n > 0, Duration.ofSeconds(30), "replica-2 holding connections");
                int held = sessions(watcher, name);
                int from = rounds.size();
                long paused = System.nanoTime();
                fleet.pause("replica-2");
                try {
                    awaitSessions(watcher, name, n -> n == 0, IDLE_SESSION_TIMEOUT.plusSeconds(5),
                            "the server ending replica-2's sessions");
                    double gone = (System.nanoTime() - paused) / 1e9;
                    int silent = rounds.await(from, r -> has(r, "replica-2", PodState.SILENT), Duration.ofSeconds(20), "replica-2 silent");
                    PodReport counted = pod(rounds.round(silent).report(), "replica-2");
                    figure("8-idle-reaping", "SIGSTOP of a replica holding %d sessions: all ended by the server %.1f s later (idle_session_timeout %s); the rebalancer still counts it at %d (%s)"
                            .formatted(held, gone, IDLE_SESSION_TIMEOUT, counted.counted(), describe(rounds.round(silent).report())));
                    assertTrue(counted.counted() >= counted.poolMax(), "a silent replica stays counted at its allocation");
                } finally {
                    fleet.resume("replica-2");
                }
                int back = rounds.await(rounds.size(), r -> has(r, "replica-2", PodState.SERVING), Duration.ofSeconds(30),
                        "replica-2 serving again");
                awaitSessions(watcher, name, n -> n > 0, Duration.ofSeconds(30), "replica-2 reconnected");
                rounds.await(back + 1, r -> true, Duration.ofSeconds(20), "one more round");
                figure("8-idle-reaping-resumed", "SIGCONT: replica-2 serving and reconnected; peak fleet connections %d / budget %d; max committed %d; statuses %s"
                        .formatted(sampler.peak(), available, rounds.maxCommitted(from), load.statuses()));
                assertTrue(sampler.peak() <= available, "the fleet held " + sampler.peak() + ", budget " + available);
                assertTrue(rounds.maxCommitted(from) <= available, "a round counted more than the budget");
            }
        }
    }

    private static int sessions(Connection c, String applicationName) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, applicationName);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Polls pg_stat_activity every 50 ms until the count of the replica's sessions satisfies the condition. */
    private static void awaitSessions(Connection c, String applicationName, java.util.function.IntPredicate condition,
                                      Duration within, String what) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = sessions(c, applicationName);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(50);
        }
        fail("no " + what + " within " + within + " (" + last + " sessions of " + applicationName + ")");
    }
}
