package io.regfleet.registry.telemetry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where one API request's time went: database work (waiting for a connection and holding it) and blob-store calls,
 * for the request log. The worker thread that serves the request carries it ({@link #bind()}); the code that measures
 * takes {@link #current()} when the work starts (null outside a request), so bytes streamed later on another thread
 * still count for the request that opened them.
 */
public final class RequestTimings {
    private static final ThreadLocal<RequestTimings> CURRENT = new ThreadLocal<>();

    private final AtomicLong databaseNanos = new AtomicLong();
    private final AtomicLong storageNanos = new AtomicLong();

    /** Undoes a {@link #bind()}; closing never throws. */
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }

    /** The timings of the request this thread serves now, or null. */
    public static RequestTimings current() {
        return CURRENT.get();
    }

    /** Makes these the current thread's timings until the binding is closed. */
    public Binding bind() {
        RequestTimings previous = CURRENT.get();
        CURRENT.set(this);
        return () -> CURRENT.set(previous);
    }

    public void addDatabase(long nanos) {
        databaseNanos.addAndGet(Math.max(0, nanos));
    }

    public void addStorage(long nanos) {
        storageNanos.addAndGet(Math.max(0, nanos));
    }

    public long databaseNanos() {
        return databaseNanos.get();
    }

    public long storageNanos() {
        return storageNanos.get();
    }
}
