package io.regfleet.registry.governance;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Paces new database connections: a token bucket of {@code rate} per second with a small burst. An attempt waits
 * for a token at most {@code maxWait}, polling: it never reserves one ahead, so attempts the pool abandons (a timed
 * out request cancels its connection attempt) cannot pile up and starve the bucket. A taken slot still waits a
 * random fraction of a slot, so pods restarted together do not connect in lockstep. After a failed attempt,
 * attempts pause for a backoff that doubles per failure (with jitter) up to a cap, reset by the first success.
 *
 * <p>The JDBC driver is created by the pool, outside CDI, so the throttle is one per JVM ({@link #instance()}),
 * made from the {@link PoolConfig} mapping on first use (start-up work such as Flyway included).
 */
public final class ConnectionThrottle {
    private static final long MAX_JITTER_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long TAKEN = -1;

    private final Settings settings;
    private double tokens;
    private long lastRefillNanos = System.nanoTime();
    private long notBeforeNanos;
    private int consecutiveFailures;
    private final AtomicLongArray totals = new AtomicLongArray(Outcome.values().length);
    private final AtomicInteger connecting = new AtomicInteger();

    /**
     * @param rate         new connections per second (0: unlimited)
     * @param burst        tokens the bucket holds
     * @param maxWaitNanos longest an attempt waits for a token or for the backoff to end before it is refused
     */
    public record Settings(double rate, int burst, long backoffInitialNanos, long backoffMaxNanos, long maxWaitNanos) {
        /** The throttle part of {@code regfleet.pool}. */
        public static Settings of(PoolConfig pool) {
            return new Settings(pool.connectRate(), pool.connectBurst(), pool.backoffInitial().toNanos(),
                    pool.backoffMax().toNanos(), pool.connectWait().toNanos());
        }
    }

    /** What became of connection attempts, counted since the start. */
    public enum Outcome {
        OPENED("Connections opened"),
        FAILED("Connection attempts the database failed"),
        REFUSED("Connection attempts refused by the rate limit or the backoff");

        private final String description;

        Outcome(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    ConnectionThrottle(Settings settings) {
        this.settings = settings;
        this.tokens = settings.burst(); // the bucket starts full
    }

    public static ConnectionThrottle instance() {
        return Jvm.THROTTLE;
    }

    /**
     * The throttle of another server (a read replica, by its {@code host:port}), with the same settings: a server
     * that is down backs off its own connections, never the primary's.
     */
    public static ConnectionThrottle forServer(String server) {
        return Jvm.SERVERS.computeIfAbsent(server, s -> new ConnectionThrottle(Jvm.THROTTLE.settings()));
    }

    Settings settings() {
        return settings;
    }

    /** Created on first use, when the application's configuration is there. */
    private static final class Jvm {
        static final ConnectionThrottle THROTTLE =
                new ConnectionThrottle(Settings.of(GovernedPostgresDriver.mapping(PoolConfig.class)));
        static final Map<String, ConnectionThrottle> SERVERS = new ConcurrentHashMap<>();
    }

    /** Waits for a slot (and its jitter), or throws when none comes within the maximum wait. */
    public void beforeConnect() throws SQLException {
        long deadline = System.nanoTime() + settings.maxWaitNanos();
        while (true) {
            long now = System.nanoTime();
            long retryIn = tryTake(now);
            if (retryIn == TAKEN) {
                break;
            }
            if (now + retryIn > deadline) {
                totals.incrementAndGet(Outcome.REFUSED.ordinal());
                throw new SQLNonTransientConnectionException(now < notBeforeNanos()
                        ? "not connecting: backing off after " + consecutiveFailures() + " failed attempts"
                        : "not connecting: over the rate of " + settings.rate() + " new connections/s", "08004");
            }
            sleep(retryIn, false);
        }
        sleep(jitter(), true);
    }

    /** Takes a token now ({@code -1}), or says how long until one may be free. */
    synchronized long tryTake(long now) {
        if (now < notBeforeNanos) {
            return notBeforeNanos - now;
        }
        if (settings.rate() <= 0) {
            return TAKEN;
        }
        double perToken = 1e9 / settings.rate();
        tokens = Math.min(settings.burst(), tokens + Math.max(0, now - lastRefillNanos) / perToken);
        lastRefillNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return TAKEN;
        }
        return Math.max(1, (long) ((1 - tokens) * perToken));
    }

    private long jitter() {
        if (settings.rate() <= 0) {
            return 0;
        }
        return (long) (Math.min(MAX_JITTER_NANOS, 1e9 / settings.rate() / 2) * ThreadLocalRandom.current().nextDouble());
    }

    private void sleep(long nanos, boolean holdingToken) throws SQLException {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) { // the pool gave up on this attempt
            Thread.currentThread().interrupt();
            if (holdingToken) {
                refund();
            }
            throw new SQLNonTransientConnectionException("connection attempt abandoned", "08004");
        }
    }

    private synchronized void refund() {
        tokens = Math.min(settings.burst(), tokens + 1);
    }

    private synchronized long notBeforeNanos() {
        return notBeforeNanos;
    }

    private synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    public synchronized void onSuccess() {
        consecutiveFailures = 0;
        notBeforeNanos = 0;
        totals.incrementAndGet(Outcome.OPENED.ordinal());
    }

    public synchronized void onFailure() {
        totals.incrementAndGet(Outcome.FAILED.ordinal());
        consecutiveFailures++;
        long exponential = settings.backoffInitialNanos() << Math.min(20, consecutiveFailures - 1);
        long capped = Math.min(settings.backoffMaxNanos(), exponential);
        long jittered = (long) (capped * ThreadLocalRandom.current().nextDouble(0.5, 1.0));
        notBeforeNanos = System.nanoTime() + jittered;
    }

    /**
     * A connection is being opened: the pool does not count it yet, but PostgreSQL already may. The listener's is not
     * counted here: its reservation counts it already ({@link ListenerConnection#opening()}).
     */
    public void connectStarted() {
        if (!ListenerConnection.opening()) {
            connecting.incrementAndGet();
        }
    }

    public void connectEnded() {
        if (!ListenerConnection.opening()) {
            connecting.decrementAndGet();
        }
    }

    /** Connections being opened right now. */
    public int connecting() {
        return connecting.get();
    }

    /** Attempts with that outcome since the start. */
    public long total(Outcome outcome) {
        return totals.get(outcome.ordinal());
    }
}
