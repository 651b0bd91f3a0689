package io.regfleet.registry.tools.verify;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.metadata.Inventory;
import io.regfleet.registry.metadata.VerifyLedger;
import io.regfleet.registry.service.IntegrityGuard;
import io.regfleet.registry.tools.ToolBudget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.function.Function;

/**
 * {@code regfleet.mode=verify}: verifies the whole store with the pod's own pool, prints the report as one JSON line
 * on standard output and exits 0 (clean), 1 (failures found), 2 (could not run) or 3 (stopped before the end; the
 * next verify continues the run).
 */
@ApplicationScoped
public class VerifyCommand {
    private static final Logger LOG = Logger.getLogger(VerifyCommand.class);
    private final VerifyConfig config;
    private final ToolBudget budget;
    private final Function<Verifier.Options, Verifier> verifiers;
    private volatile Verifier running;

    VerifyCommand(Inventory inventory, VerifyLedger ledger, BlobStore blobs, MeterRegistry meters, VerifyConfig config,
                  ToolBudget budget) {
        this.config = config;
        this.budget = budget;
        this.verifiers = options -> new Verifier(inventory, ledger, blobs, new IntegrityGuard(meters), options);
    }

    public int run() {
        Verifier verifier = verifiers.apply(new Verifier.Options(config.deep(), config.fresh(),
                budget.parallelism(config.parallelism()), config.pageSize(), config.pageBytes(), config.lease(),
                config.maxRate(), config.reportFailures(), budget.owner("verify")));
        running = verifier;
        try {
            VerifyReport report = verifier.run();
            System.out.println(report.jsonLine());
            LOG.infof("verify run %d %s: %d manifests, %d blobs (%.1f MiB), %d failures; this process %.1f s, "
                            + "%.0f manifests/s, %.0f blobs/s, %.1f MiB/s hashed", report.run(),
                    report.complete() ? "complete" : "stopped before the end", report.manifests(), report.blobs(),
                    report.blobBytes() / 1048576.0, report.failureCount(), report.thisProcess().seconds(),
                    report.thisProcess().manifestsPerSecond(), report.thisProcess().blobsPerSecond(),
                    report.thisProcess().mibHashedPerSecond());
            return report.exitCode();
        } catch (RuntimeException e) {
            LOG.errorf("verify could not run: %s", e.getMessage());
            return 2;
        } finally {
            running = null;
        }
    }

    /** A pod told to stop (SIGTERM) finishes its pages and gives its ranges back for the next verify. */
    void stop(@Observes ShutdownEvent event) {
        Verifier verifier = running;
        if (verifier != null) {
            verifier.stop();
        }
    }
}
