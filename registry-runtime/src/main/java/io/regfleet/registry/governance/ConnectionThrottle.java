package io.regfleet.registry.governance;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Paces new database connections: a token bucket of {@code rate} per second with a small burst. An attempt waits
 * for a token at most {@code maxWait}, polling: it never reserves one ahead, so attempts the pool abandons (a timed
 * out request cancels its connection attempt) cannot pile up and starve the bucket. A taken slot still waits a
 * random fraction of a slot, so pods restarted together do not connect in lockstep. After a failed attempt,
 * attempts pause for a backoff that doubles per failure (with jitter) up to a cap, reset by the first success.
 *
 * <p>The JDBC driver is created by the pool, outside CDI, so the throttle is one per JVM ({@link #instance()}),
 * configured by the driver from the application's configuration before its first connection.
 */
public final class ConnectionThrottle {
    private static final ConnectionThrottle INSTANCE = new ConnectionThrottle();
    private static final long MAX_JITTER_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long TAKEN = -1;

    private volatile Settings settings = Settings.DEFAULT;
    private volatile boolean configured;
    private double tokens = Settings.DEFAULT.burst();
    private long lastRefillNanos = System.nanoTime();
    private long notBeforeNanos;
    private int consecutiveFailures;
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger connecting = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param rate    new connections per second (0: unlimited)
     * @param burst   tokens the bucket holds
     * @param maxWait longest an attempt waits for a token or for the backoff to end before it is refused
     */
    public record Settings(double rate, int burst, long backoffInitialNanos, long backoffMaxNanos, long maxWaitNanos) {
        static final Settings DEFAULT = new Settings(5, 2, TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.SECONDS.toNanos(10),
                TimeUnit.SECONDS.toNanos(5));
    }

    public static ConnectionThrottle instance() {
        return INSTANCE;
    }

    public synchronized void configure(Settings newSettings) {
        this.settings = newSettings;
        this.tokens = newSettings.burst(); // configured once, at start-up: the bucket starts full
        this.configured = true;
    }

    public boolean isConfigured() {
        return configured;
    }

    public Settings settings() {
        return settings;
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
                refused.incrementAndGet();
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
        Settings s = settings;
        if (s.rate() <= 0) {
            return TAKEN;
        }
        double perToken = 1e9 / s.rate();
        tokens = Math.min(s.burst(), tokens + Math.max(0, now - lastRefillNanos) / perToken);
        lastRefillNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return TAKEN;
        }
        return Math.max(1, (long) ((1 - tokens) * perToken));
    }

    private long jitter() {
        Settings s = settings;
        return s.rate() <= 0 ? 0 : (long) (Math.min(MAX_JITTER_NANOS, 1e9 / s.rate() / 2) * ThreadLocalRandom.current().nextDouble());
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
        opened.incrementAndGet();
    }

    public synchronized void onFailure() {
        failed.incrementAndGet();
        Settings s = settings;
        consecutiveFailures++;
        long exponential = s.backoffInitialNanos() << Math.min(20, consecutiveFailures - 1);
        long capped = Math.min(s.backoffMaxNanos(), exponential);
        long jittered = (long) (capped * ThreadLocalRandom.current().nextDouble(0.5, 1.0));
        notBeforeNanos = System.nanoTime() + jittered;
    }

    /** A connection is being opened: the pool does not count it yet, but PostgreSQL already may. */
    public void connectStarted() {
        connecting.incrementAndGet();
    }

    public void connectEnded() {
        connecting.decrementAndGet();
    }

    /** Connections being opened right now. */
    public int connecting() {
        return connecting.get();
    }

    public long openedTotal() {
        return opened.get();
    }

    public long failedTotal() {
        return failed.get();
    }

    public long refusedTotal() {
        return refused.get();
    }
}
