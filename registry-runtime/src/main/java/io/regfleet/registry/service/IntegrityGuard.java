package io.regfleet.registry.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * Every manifest read is hashed again and compared with its digest: a truncated or altered row is never served.
 * (A migration once truncated manifests over 32 KB and row counts did not notice.)
 */
public final class IntegrityGuard {
    private static final Logger LOG = Logger.getLogger(IntegrityGuard.class);
    /** Not labelled by digest (a label per digest has no bound): the log line and the error detail name it. */
    private final Counter failures;

    public IntegrityGuard(MeterRegistry meters) {
        this.failures = Counter.builder("regfleet.manifest.integrity.failures")
                .description("Stored manifests that no longer matched their digest and were not served").register(meters);
    }

    /**
     * The manifest, when its content matches its digest.
     *
     * @throws RegistryException ({@link ErrorCode#INTEGRITY}) when it does not, after logging and counting it
     */
    public StoredManifest verified(String repository, StoredManifest manifest) {
        if (!manifest.digest().matches(manifest.content())) {
            LOG.errorf("INTEGRITY FAILURE: manifest %s in repository %s does not match its digest (%d bytes stored); not served",
                    manifest.digest(), repository, manifest.content().length);
            failures.increment();
            throw new RegistryException(ErrorCode.INTEGRITY, "stored manifest failed its integrity check and is not served",
                    Map.of("digest", manifest.digest().toString()));
        }
        return manifest;
    }
}
