package io.regfleet.registry.governance;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Paces new database connections: a token bucket of {@code rate} per second with a small burst. An attempt with no
 * token is refused at once (its request answers 503; a later request tries again): the throttle never queues, so
 * attempts the pool abandons cannot pile up and starve it. A granted attempt still waits a random fraction of a
 * slot, so pods restarted together do not connect in lockstep. After a failed attempt, attempts are refused for a
 * backoff that doubles per failure (with jitter) up to a cap, and reset by the first success.
 *
 * <p>The JDBC driver is created by the pool, outside CDI, so the throttle is one per JVM ({@link #instance()}).
 */
public final class ConnectionThrottle {
    private static final ConnectionThrottle INSTANCE = new ConnectionThrottle();
    private static final long MAX_JITTER_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private volatile Settings settings = Settings.DEFAULT;
    private double tokens = Settings.DEFAULT.burst();
    private long lastRefillNanos = System.nanoTime();
    private long notBeforeNanos;
    private int consecutiveFailures;
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /** @param rate new connections per second (0: unlimited); burst: tokens the bucket holds */
    public record Settings(double rate, int burst, long backoffInitialNanos, long backoffMaxNanos) {
        static final Settings DEFAULT = new Settings(5, 2, TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.SECONDS.toNanos(10));
    }

    public static ConnectionThrottle instance() {
        return INSTANCE;
    }

    public synchronized void configure(Settings newSettings) {
        this.settings = newSettings;
        this.tokens = newSettings.burst(); // configured once, at start-up: the bucket starts full
    }

    public Settings settings() {
        return settings;
    }

    /** Takes a slot (and waits its jitter) or throws at once when none is free or the throttle is backing off. */
    public void beforeConnect() throws SQLException {
        long jitter = reserve(System.nanoTime());
        if (jitter > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(jitter);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                refund();
                throw new SQLNonTransientConnectionException("interrupted while waiting to connect", "08004");
            }
        }
    }

    /** Reserves a slot; returns the jitter to wait before connecting. */
    synchronized long reserve(long now) throws SQLException {
        Settings s = settings;
        if (now < notBeforeNanos) {
            refused.incrementAndGet();
            throw new SQLNonTransientConnectionException("not connecting: backing off for "
                    + TimeUnit.NANOSECONDS.toMillis(notBeforeNanos - now) + " ms after " + consecutiveFailures
                    + " failed attempts", "08004");
        }
        if (s.rate() <= 0) {
            return 0;
        }
        double perToken = 1e9 / s.rate();
        tokens = Math.min(s.burst(), tokens + Math.max(0, now - lastRefillNanos) / perToken);
        lastRefillNanos = now;
        if (tokens < 1) {
            refused.incrementAndGet();
            throw new SQLNonTransientConnectionException("not connecting: over the rate of " + s.rate()
                    + " new connections/s", "08004");
        }
        tokens -= 1;
        return (long) (Math.min(MAX_JITTER_NANOS, perToken / 2) * ThreadLocalRandom.current().nextDouble());
    }

    private synchronized void refund() {
        tokens = Math.min(settings.burst(), tokens + 1);
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

    public long refusedTotal() {
        return refused.get();
    }
}
