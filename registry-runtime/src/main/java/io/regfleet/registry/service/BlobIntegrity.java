package io.regfleet.registry.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.regfleet.registry.blob.BlobContent;
import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.metadata.GarbageCollection;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.oci.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What happens when a blob's stored bytes fail verification on a read: it is logged and counted, then checked once
 * more (a transient read error must not cost a good blob) and, when the second read fails too, quarantined in the
 * metadata (every replica then serves it as absent, so clients push it again) and its bad bytes deleted from the
 * store (so the next upload of the digest writes verified ones, which lifts the quarantine). The deletion is claimed
 * with the quarantine, as the collector claims its own: no upload writes the digest until the bytes are gone, and a
 * crash in between leaves the claim for the collector to finish.
 */
// at start-up, so its counters exist at 0 before the first failure: a counter first seen at 1 is no increase to Prometheus
@Startup
@ApplicationScoped
public class BlobIntegrity {
    private static final Logger LOG = Logger.getLogger(BlobIntegrity.class);
    private final MetadataStore metadata;
    private final GarbageCollection deletions;
    private final BlobStore store;
    private final Counter failures;
    private final Counter quarantined;
    /** One confirmation at a time, a few waiting: a storm of failures must not become a storm of full reads. */
    private final ThreadPoolExecutor confirmations = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(16), Thread.ofPlatform().name("blob-integrity").daemon().factory(),
            new ThreadPoolExecutor.DiscardPolicy());

    public BlobIntegrity(MetadataStore metadata, GarbageCollection deletions, BlobStore store, MeterRegistry meters) {
        this.metadata = metadata;
        this.deletions = deletions;
        this.store = store;
        this.failures = Counter.builder("regfleet.blob.integrity.failures")
                .description("Blob reads whose bytes did not match their digest (the response was aborted)").register(meters);
        this.quarantined = Counter.builder("regfleet.blob.quarantined")
                .description("Blobs quarantined after a second read confirmed their stored bytes are corrupt").register(meters);
    }

    /** Called when a read found the blob's bytes wrong. */
    void failed(Digest digest) {
        failures.increment();
        LOG.errorf("INTEGRITY FAILURE: blob %s does not match its digest; the response was aborted, confirming", digest);
        confirmations.execute(() -> confirm(digest));
    }

    private void confirm(Digest digest) {
        try {
            if (storedBytesMatch(digest)) {
                LOG.warnf("blob %s verified on a second read: the failed read was transient", digest);
                return;
            }
            if (!metadata.quarantineBlob(digest)) {
                LOG.warnf("blob %s was not quarantined: it is quarantined already, or a push is writing it again", digest);
                return;
            }
            store.delete(digest);
            deletions.deletionsDone(List.of(digest));
            quarantined.increment();
            LOG.errorf("INTEGRITY FAILURE: blob %s quarantined and its corrupt bytes deleted; it reads as absent until "
                    + "it is pushed again", digest);
        } catch (RuntimeException e) {
            LOG.errorf("blob %s could not be checked again (%s); the next failed read retries", digest, e.getMessage());
        }
    }

    private boolean storedBytesMatch(Digest digest) {
        long size = store.size(digest).orElse(-1);
        if (size < 0) {
            return false;
        }
        BlobContent content = store.open(digest, 0, size);
        try (InputStream in = new VerifyingInputStream(open(content), digest, size, () -> { })) {
            in.transferTo(OutputStream.nullOutputStream());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The content as a stream: a local file is read, not sent. */
    public static InputStream open(BlobContent content) {
        return switch (content) {
            case BlobContent.Stream stream -> stream.input();
            case BlobContent.LocalFile file -> {
                try {
                    InputStream in = Files.newInputStream(file.path());
                    in.skipNBytes(file.offset());
                    yield in;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    void stop(@Observes ShutdownEvent event) {
        confirmations.shutdownNow();
    }
}
