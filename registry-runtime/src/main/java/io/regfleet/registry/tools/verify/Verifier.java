package io.regfleet.registry.tools.verify;

import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.metadata.DigestRange;
import io.regfleet.registry.metadata.Inventory;
import io.regfleet.registry.metadata.VerifyLedger;
import io.regfleet.registry.metadata.VerifyLedger.Claim;
import io.regfleet.registry.metadata.VerifyLedger.Failure;
import io.regfleet.registry.metadata.VerifyLedger.Kind;
import io.regfleet.registry.metadata.VerifyLedger.Progress;
import io.regfleet.registry.service.IntegrityGuard;
import io.regfleet.registry.tools.Pacer;
import io.regfleet.registry.tools.Retrying;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.regfleet.registry.tools.Retrying.call;

/**
 * Checks a whole store: every manifest re-hashed, every recorded blob present with its size (and, deep, re-hashed),
 * over the {@link DigestRange}s in parallel. Workers claim ranges from the {@link VerifyLedger} and record each page
 * with its failures as they go, so a verify that stops is continued by the next one from its last page, and several
 * processes may share a run. Each worker holds at most one database connection, for one short unit of work at a
 * time, and none while it reads blob bytes.
 */
public final class Verifier {
    private static final Logger LOG = Logger.getLogger(Verifier.class);

    /**
     * @param owner names this process's claims (pod and a unique suffix)
     */
    public record Options(boolean deep, boolean fresh, int parallelism, int pageSize, long pageBytes, Duration lease,
                          double maxRate, int reportFailures, String owner) {
    }

    private final Inventory inventory;
    private final VerifyLedger ledger;
    private final IntegrityChecks checks;
    private final Options options;
    private final Pacer pacer;
    /** Each worker's current claim, renewed every third of the lease while it works. */
    private final Map<Integer, Claim> held = new ConcurrentHashMap<>();
    private final AtomicLong manifests = new AtomicLong();
    private final AtomicLong blobs = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private volatile boolean stopping;

    public Verifier(Inventory inventory, VerifyLedger ledger, BlobStore blobStore, IntegrityGuard guard,
                    Options options) {
        this.inventory = inventory;
        this.ledger = ledger;
        this.checks = new IntegrityChecks(blobStore, guard, options.deep());
        this.options = options;
        this.pacer = new Pacer(options.maxRate());
    }

    /** Asks the workers to stop after their current page (a graceful shutdown); the run is continued next time. */
    public void stop() {
        stopping = true;
    }

    /** Runs (or continues) a verify to its end, or until {@link #stop()}, and reports. */
    public VerifyReport run() {
        long started = System.nanoTime();
        VerifyLedger.Run run = call(() -> ledger.begin(options.deep(), options.fresh()));
        LOG.infof("verify run %d %s (%s, %d workers)", run.id(), run.resumed() ? "continued" : "started",
                options.deep() ? "deep: every blob re-hashed" : "blobs checked for presence and size",
                options.parallelism());
        ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("verify-lease-renewal").daemon().factory());
        long every = Math.max(1, options.lease().toMillis() / 3);
        renewals.scheduleWithFixedDelay(this::renewHeld, every, every, TimeUnit.MILLISECONDS);
        try (ExecutorService workers = Executors.newFixedThreadPool(options.parallelism(),
                Thread.ofPlatform().name("verify-worker-", 0).factory())) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < options.parallelism(); i++) {
                int worker = i;
                running.add(workers.submit(() -> work(run.id(), worker)));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("verify failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            renewals.shutdownNow();
            if (stopping) {
                call(() -> {
                    ledger.release(run.id(), options.owner());
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        boolean complete = !stopping && call(() -> ledger.finish(run.id()));
        return VerifyReport.of(run, complete, call(() -> ledger.status(run.id(), options.reportFailures())),
                new VerifyReport.ThisProcess(manifests.get(), blobs.get(), bytesRead.get(), seconds));
    }

    /** Claims ranges until none is left; waits while others hold the last ones (they may have died). */
    private void work(long run, int worker) {
        while (!stopping) {
            Optional<Claim> claim = call(() -> ledger.claim(run, options.owner(), options.lease()));
            if (claim.isEmpty()) {
                if (call(() -> ledger.finish(run))) {
                    return;
                }
                Retrying.pause(Math.min(1000, options.lease().toMillis() / 4 + 1));
                continue;
            }
            held.put(worker, claim.get());
            try {
                walk(claim.get());
            } finally {
                held.remove(worker);
            }
        }
    }

    /** Checks the claimed range page by page from its cursor, recording each page. */
    private void walk(Claim claim) {
        DigestRange range = DigestRange.of(claim.range());
        String cursor = claim.cursor();
        while (true) {
            String from = cursor;
            PageOutcome page = claim.kind() == Kind.MANIFEST ? manifestPage(range, from) : blobPage(range, from);
            if (!call(() -> ledger.record(claim, page.progress(), options.lease()))) {
                LOG.warnf("verify lost its claim on %s range %d (lease lapsed); another worker continues it",
                        claim.kind().label(), claim.range());
                return;
            }
            (claim.kind() == Kind.MANIFEST ? manifests : blobs).addAndGet(page.progress().checked());
            bytesRead.addAndGet(page.bytesRead());
            if (page.progress().done() || stopping) {
                return;
            }
            cursor = page.progress().cursor();
        }
    }

    private record PageOutcome(Progress progress, long bytesRead) {
    }

    private PageOutcome manifestPage(DigestRange range, String cursor) {
        Inventory.ScanPage<Inventory.ScannedManifest> page = call(() ->
                inventory.manifests(range, cursor, options.pageSize(), options.pageBytes()));
        List<Failure> failures = new ArrayList<>();
        long bytes = 0;
        for (Inventory.ScannedManifest manifest : page.items()) {
            pacer.acquire();
            Failure failure = checks.manifest(manifest);
            if (failure != null) {
                failures.add(failure);
            }
            bytes += manifest.manifest().content().length;
        }
        return new PageOutcome(new Progress(page.cursor(), !page.more(), page.items().size(), bytes, failures), 0);
    }

    private PageOutcome blobPage(DigestRange range, String cursor) {
        Inventory.ScanPage<Inventory.ScannedBlob> page = call(() -> inventory.blobs(range, cursor, options.pageSize()));
        List<Failure> failures = new ArrayList<>();
        long bytes = 0;
        long read = 0;
        for (Inventory.ScannedBlob blob : page.items()) {
            pacer.acquire();
            IntegrityChecks.BlobOutcome outcome = checks.blob(blob);
            if (outcome.failure() != null) {
                LOG.errorf("verify: blob %s: %s (%s)", blob.digest(), outcome.failure().kind(), outcome.failure().detail());
                failures.add(outcome.failure());
            }
            bytes += blob.size();
            read += outcome.bytesRead();
        }
        return new PageOutcome(new Progress(page.cursor(), !page.more(), page.items().size(), bytes, failures), read);
    }

    private void renewHeld() {
        for (Claim claim : held.values()) {
            try {
                ledger.renew(claim, options.lease());
            } catch (RuntimeException e) {
                LOG.debugf("renewing the claim on %s range %d failed: %s", claim.kind().label(), claim.range(),
                        e.getMessage());
            }
        }
    }
}
