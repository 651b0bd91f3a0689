package io.regfleet.registry.tools;

import io.regfleet.registry.metadata.MetadataUnavailableException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * A unit of work the store could not take now (the worker limit shed it, no connection in time, the database
 * restarting) is tried again after a pause that doubles, with jitter, for up to {@link #PATIENCE}: a tool sharing the
 * pod with traffic yields instead of failing.
 */
public final class Retrying {
    public static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Logger LOG = Logger.getLogger(Retrying.class);
    private static final long FIRST_PAUSE_MILLIS = 50;
    private static final long LONGEST_PAUSE_MILLIS = 5_000;

    private Retrying() {
    }

    public static <T> T call(Supplier<T> work) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            try {
                return work.get();
            } catch (MetadataUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.debugf("metadata store busy (%s); retrying in about %d ms", e.getMessage(), pause);
                pause(pause + ThreadLocalRandom.current().nextLong(pause / 2 + 1));
                pause = Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
            }
        }
    }

    /** Sleeps; an interrupt ends the tool's work (the interrupt stays set). */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
