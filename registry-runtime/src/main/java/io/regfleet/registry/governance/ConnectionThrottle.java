package io.regfleet.registry.governance;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Paces new database connections: at most {@code rate} per second after a small burst, each spaced with jitter so
 * that pods restarted together do not connect in lockstep; after a failed attempt, waits grow exponentially (with
 * jitter) up to a cap until an attempt succeeds. A wait longer than {@code maxWait} fails the attempt at once: the
 * request answers 503 instead of queueing.
 *
 * <p>The JDBC driver is created by the pool, outside CDI, so the throttle is one per JVM ({@link #instance()}).
 */
public final class ConnectionThrottle {
    private static final ConnectionThrottle INSTANCE = new ConnectionThrottle();

    private volatile Settings settings = Settings.DEFAULT;
    private double tokens = Settings.DEFAULT.burst();
    private long lastRefillNanos = System.nanoTime();
    private long notBeforeNanos;
    private int consecutiveFailures;
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    /** @param rate new connections per second (0: unlimited); burst: allowed at once */
    public record Settings(double rate, int burst, long backoffInitialNanos, long backoffMaxNanos, long maxWaitNanos) {
        static final Settings DEFAULT = new Settings(5, 2, TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.SECONDS.toNanos(10),
                TimeUnit.SECONDS.toNanos(5));
    }

    public static ConnectionThrottle instance() {
        return INSTANCE;
    }

    public synchronized void configure(Settings newSettings) {
        this.settings = newSettings;
        this.tokens = Math.min(tokens, newSettings.burst());
    }

    public Settings settings() {
        return settings;
    }

    /** Blocks until this attempt may connect, or throws when that would take longer than the maximum wait. */
    public void beforeConnect() throws SQLException {
        long wait = reserve(System.nanoTime());
        if (wait > 0) {
            throttled.incrementAndGet();
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLNonTransientConnectionException("interrupted while waiting to connect", "08004");
            }
        }
    }

    /** Reserves a slot; returns how long to wait for it. */
    synchronized long reserve(long now) throws SQLException {
        Settings s = settings;
        long start = Math.max(now, notBeforeNanos);
        if (start - now > s.maxWaitNanos()) {
            throw new SQLNonTransientConnectionException("not connecting: backing off after " + consecutiveFailures
                    + " failed attempts", "08004");
        }
        if (s.rate() <= 0) {
            return start - now;
        }
        double perToken = 1e9 / s.rate();
        tokens = Math.min(s.burst(), tokens + (now - lastRefillNanos) / perToken);
        lastRefillNanos = now;
        long wait = start - now;
        if (tokens >= 1) {
            tokens -= 1;
        } else {
            long jitter = (long) (perToken * ThreadLocalRandom.current().nextDouble(0, 0.5));
            wait = Math.max(wait, (long) ((1 - tokens) * perToken) + jitter);
            tokens -= 1; // the slot is taken now; later callers queue behind it
        }
        if (wait > s.maxWaitNanos()) {
            tokens += 1;
            throw new SQLNonTransientConnectionException("not connecting: over the rate of " + s.rate() + " new connections/s",
                    "08004");
        }
        return wait;
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

    public long openedTotal() {
        return opened.get();
    }

    public long failedTotal() {
        return failed.get();
    }

    public long throttledTotal() {
        return throttled.get();
    }
}
