package io.regfleet.registry.metadata.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.metadata.memory.MemoryMetadata;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A cold cache (a restart) asked the same question by many callers at once asks the store once: the rest wait for
 * that one read instead of each borrowing a connection for it.
 */
class SingleFlightTest {
    private static final RepositoryName REPOSITORY = new RepositoryName("team/app");

    @Test
    void aColdCacheAskedByManyCallersAtOnceReadsTheStoreOnce() throws Exception {
        MemoryMetadata metadata = new MemoryMetadata();
        byte[] content = "{\"content\":\"image\"}".getBytes(UTF_8);
        Digest digest = Digest.sha256Of(content);
        metadata.store().putManifest(REPOSITORY, digest, new ParsedManifest(
                "application/vnd.oci.image.manifest.v1+json", List.of(), List.of(), null, null, null), content, "latest");
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        MetadataStore held = heldReads(metadata.store(), reads, release);
        MetadataCache cache = new MetadataCache(CacheSettings.DEFAULT, Ticker.systemTicker(), true);
        metadata.subscribe(cache);
        MetadataStore cached = cache.over(held);

        int callers = 16;
        List<Digest> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        atOnce(callers, reads, release, () -> answers.add(
                cached.manifest(REPOSITORY, new Reference.Tag("latest")).map(StoredManifest::digest).orElse(null)));

        assertEquals(java.util.Collections.nCopies(callers, digest), answers);
        assertEquals(1, reads.get(), "one read of the store for " + callers + " callers");
    }

    @Test
    void aFailedReadFailsEveryCallerWhoWaitedForItAtOnceAndTheNextRequestReadsAgain() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException outage = new IllegalStateException("no database connection");
        MetadataStore failing = heldReads(new MemoryMetadata().store(), reads, release, outage);
        AtomicLong now = new AtomicLong();
        MetadataStore cached = new MetadataCache(CacheSettings.DEFAULT, now::get, true).over(failing);

        int callers = 16;
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        atOnce(callers, reads, release, () -> {
            try {
                cached.manifest(REPOSITORY, new Reference.Tag("latest"));
            } catch (RuntimeException e) {
                failures.add(e);
            }
        });

        // one read failed, and every caller who waited for it failed with it instead of reading again in turn
        assertEquals(java.util.Collections.nCopies(callers, outage), failures);
        assertEquals(1, reads.get());
        // the failure is not an answer: once its moment has passed, the next request asks the store again
        now.addAndGet(Remembered.FAILURE_NANOS + 1);
        assertThrows(IllegalStateException.class, () -> cached.manifest(REPOSITORY, new Reference.Tag("latest")));
        assertEquals(2, reads.get());
    }

    /**
     * Runs {@code call} on {@code callers} threads at once; once every caller is either in the one read (held) or
     * waiting for it, the read may end; returns when they all have.
     */
    private static void atOnce(int callers, AtomicInteger reads, CountDownLatch release, Runnable call)
            throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofPlatform().start(call));
        }
        while (reads.get() == 0 || threads.stream().anyMatch(t -> t.getState() == Thread.State.RUNNABLE)) {
            Thread.onSpinWait();
        }
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
    }

    /** The store, its manifest reads counted and held until {@code release}. */
    private static MetadataStore heldReads(MetadataStore store, AtomicInteger reads, CountDownLatch release) {
        return heldReads(store, reads, release, null);
    }

    /** The same, each read then failing with {@code failure} when it is not null. */
    private static MetadataStore heldReads(MetadataStore store, AtomicInteger reads, CountDownLatch release,
                                           RuntimeException failure) {
        return (MetadataStore) Proxy.newProxyInstance(MetadataStore.class.getClassLoader(),
                new Class<?>[] {MetadataStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("manifest")) {
                        reads.incrementAndGet();
                        release.await();
                        if (failure != null) {
                            throw failure;
                        }
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
