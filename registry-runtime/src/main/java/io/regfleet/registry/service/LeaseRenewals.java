package io.regfleet.registry.service;

import io.quarkus.runtime.ShutdownEvent;
import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.metadata.UploadSessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps upload leases alive while their writers work: every third of the lease, a lease whose writer made progress
 * since the last renewal is extended. A writer that died stops renewing, so its lease lapses within one lease time
 * and any replica can take the upload on; a client that stalls mid-chunk stops making progress, and its lease lapses
 * too. A renewal that fails (the database busy or away) is retried at the next tick.
 */
@ApplicationScoped
public class LeaseRenewals {
    private static final Logger LOG = Logger.getLogger(LeaseRenewals.class);
    private final UploadSessions sessions;
    private final Duration lease;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("upload-lease-renewals").daemon().factory());

    public LeaseRenewals(UploadSessions sessions, RegistryConfig config) {
        this.sessions = sessions;
        this.lease = config.upload().leaseDuration();
    }

    /** A lease being kept; closing it stops the renewals (the lease itself is advanced or released by the caller). */
    public interface Kept extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Renews {@code owner}'s lease on the upload while {@code progress} keeps growing.
     *
     * @param progress a count that grows while the writer works (bytes streamed or hashed)
     */
    public Kept keep(String uploadId, String owner, LongSupplier progress) {
        long period = Math.max(1, lease.toMillis() / 3);
        long[] seen = {progress.getAsLong()};
        ScheduledFuture<?> task = timer.scheduleWithFixedDelay(() -> {
            long now = progress.getAsLong();
            if (now == seen[0]) {
                return; // no progress: let the lease lapse rather than hold the upload for a stalled writer
            }
            seen[0] = now;
            try {
                if (!sessions.renew(uploadId, owner, lease)) {
                    LOG.debugf("upload %s: lease lost to another writer", uploadId);
                }
            } catch (RuntimeException e) {
                LOG.debugf("upload %s: lease renewal failed, retried next time: %s", uploadId, e.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return () -> task.cancel(false);
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }
}
