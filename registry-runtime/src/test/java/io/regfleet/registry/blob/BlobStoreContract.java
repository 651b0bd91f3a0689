package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link BlobStore} driver must do. A subclass supplies stores on fresh, empty storage per test (the store
 * under test and a second instance on the same storage, another replica) and a way to see what an upload left behind.
 */
abstract class BlobStoreContract {
    static final int MIB = 1 << 20;

    private BlobStore store;
    private BlobStore otherReplica;

    /**
     * A store on this test's storage, empty at the start of the test: replica 0 is the store under test, replica 1
     * another instance on the same storage, as a second replica of the registry would have.
     */
    protected abstract BlobStore newReplica(int replica);

    /** The driver's part size (S3) or a comparable size; data sizes are chosen to cross it. */
    protected abstract int partSize();

    /** Whatever the store still holds for an upload (files, objects, pending multipart uploads). */
    protected abstract List<String> uploadLeftovers(String uploadId);

    @BeforeEach
    final void createReplicas() {
        store = newReplica(0);
        otherReplica = newReplica(1);
    }

    /** The store under test. */
    protected final BlobStore store() {
        return store;
    }

    /** Another instance on the same storage. */
    protected final BlobStore otherReplica() {
        return otherReplica;
    }

    @Test
    void roundTripsABlobWhoseDigestIsComputedWhileStreaming() throws IOException {
        byte[] data = randomBytes(3 * MIB + 123, 1);
        String id = newUploadId();
        UploadState state = store().beginUpload(id);
        MessageDigest hasher = Digest.newSha256();
        state = store().append(id, state, new DigestInputStream(new ByteArrayInputStream(data), hasher));
        Digest digest = new Digest("sha256", HexFormat.of().formatHex(hasher.digest()));

        store().commitUpload(id, state, digest);

        assertEquals(data.length, state.size());
        assertServesWhole(store(), digest, data.length);
        assertEquals(List.of(), uploadLeftovers(id));
    }

    @Test
    void knowsNothingOfAnUnknownBlob() {
        Digest unknown = Digest.sha256Of("never stored".getBytes());

        assertTrue(store().size(unknown).isEmpty());
        assertThrows(BlobNotFoundException.class, () -> store().open(unknown, 0, 10));
        assertThrows(BlobNotFoundException.class, () -> store().open(unknown, 0, 0));
        assertFalse(store().delete(unknown));
    }

    @Test
    void opensRangesOfABlob() {
        byte[] data = randomBytes(2 * MIB + 17, 2);
        Digest digest = storeBlob(data);
        int n = data.length;

        for (long[] range : new long[][] {{0, n}, {0, 1}, {n - 1, 1}, {12_345, MIB}, {MIB, n - MIB}, {n, 0}, {7, 0}}) {
            int offset = (int) range[0];
            int length = (int) range[1];
            BlobContent content = store().open(digest, offset, length);
            assertEquals(length, content.length());
            assertArrayEquals(Arrays.copyOfRange(data, offset, offset + length), read(content),
                    "range " + offset + "+" + length);
        }
        assertThrows(IllegalArgumentException.class, () -> store().open(digest, n - 10, 11));
        assertThrows(IllegalArgumentException.class, () -> store().open(digest, n + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> store().open(digest, n + 5, 1));
        assertThrows(IllegalArgumentException.class, () -> store().open(digest, -1, 5));
    }

    @Test
    void deletesABlob() {
        Digest digest = storeBlob(randomBytes(1000, 3));

        assertTrue(store().delete(digest));

        assertTrue(store().size(digest).isEmpty());
        assertTrue(otherReplica().size(digest).isEmpty());
        assertThrows(BlobNotFoundException.class, () -> store().open(digest, 0, 1000));
        assertFalse(store().delete(digest));
    }

    @Test
    void listsStoredBlobsInKeyOrderPageByPage() {
        List<Digest> stored = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            stored.add(storeBlob(randomBytes(100 + i, 30 + i)));
        }
        String id = newUploadId();
        append(store(), id, store().beginUpload(id), randomBytes(50, 40)); // in progress: not a blob
        stored.sort(java.util.Comparator.comparing(d -> d.algorithm() + "/" + d.hex()));

        List<StoredBlob> all = store().list(null, 100);
        assertEquals(stored, all.stream().map(StoredBlob::digest).toList());
        for (StoredBlob blob : all) {
            assertEquals(store().size(blob.digest()).orElseThrow(), blob.size());
            assertTrue(blob.modified().isAfter(java.time.Instant.now().minusSeconds(600)), "written just now");
        }

        List<Digest> walked = new ArrayList<>();
        Digest after = null;
        List<StoredBlob> page;
        do {
            page = otherReplica().list(after, 3);
            assertTrue(page.size() <= 3);
            page.forEach(b -> walked.add(b.digest()));
            after = page.isEmpty() ? after : page.getLast().digest();
        } while (page.size() == 3);
        assertEquals(stored, walked, "pages follow each other without gap or overlap");
        assertEquals(stored.subList(3, 7), store().list(stored.get(2), 10).stream().map(StoredBlob::digest).toList());
        assertEquals(List.of(), store().list(stored.getLast(), 10));

        assertTrue(store().delete(stored.get(4)));
        assertFalse(store().list(null, 100).stream().anyMatch(b -> b.digest().equals(stored.get(4))));
        store().abortUpload(id, UploadState.empty(""));
    }

    @Test
    void listsNothingInAnEmptyStoreAndResumesAfterADigestItDoesNotHold() {
        assertEquals(List.of(), store().list(null, 10));
        Digest blob = storeBlob(randomBytes(10, 41));
        Digest absent = new Digest("sha256", "0".repeat(64));
        assertEquals(List.of(blob), store().list(absent, 10).stream().map(StoredBlob::digest).toList(),
                "a cursor need not exist, as a blob deleted between two pages");
    }

    @Test
    void assemblesManySmallChunksAppendedThroughTwoReplicas() throws IOException {
        byte[] data = randomBytes(partSize() + partSize() / 2 + 77, 4);
        Random sizes = new Random(4);
        List<Integer> cuts = new ArrayList<>();
        for (int at = 0; at < data.length; at += 128 * 1024 + sizes.nextInt(384 * 1024)) {
            cuts.add(at);
        }
        cuts.add(data.length);

        String id = newUploadId();
        UploadState state = store().beginUpload(id);
        for (int i = 0; i + 1 < cuts.size(); i++) {
            BlobStore replica = i % 2 == 0 ? store() : otherReplica();
            state = append(replica, id, state, Arrays.copyOfRange(data, cuts.get(i), cuts.get(i + 1)));
            assertEquals((long) cuts.get(i + 1), state.size());
            if (i == cuts.size() / 2) {
                assertArrayEquals(Arrays.copyOf(data, cuts.get(i + 1)), readAll(otherReplica().readUpload(id, state)));
            }
        }
        assertArrayEquals(data, readAll(otherReplica().readUpload(id, state)));

        Digest digest = Digest.sha256Of(data);
        otherReplica().commitUpload(id, state, digest);

        assertServesWhole(store(), digest, data.length);
        assertEquals(List.of(), uploadLeftovers(id));
    }

    @Test
    void assemblesLargeChunksThatCrossPartBoundaries() throws IOException {
        int part = partSize();
        int[] chunkSizes = {part + MIB, 3 * MIB, 2 * part + 5, part - MIB - 5, part, 1};
        byte[] data = randomBytes(Arrays.stream(chunkSizes).sum(), 5);

        String id = newUploadId();
        UploadState state = store().beginUpload(id);
        int at = 0;
        for (int i = 0; i < chunkSizes.length; i++) {
            BlobStore replica = i % 2 == 0 ? otherReplica() : store();
            state = append(replica, id, state, Arrays.copyOfRange(data, at, at + chunkSizes[i]));
            at += chunkSizes[i];
            assertEquals(at, state.size());
        }
        assertEquals(Digest.sha256Of(data), sha256Streaming(store().readUpload(id, state)));

        Digest digest = Digest.sha256Of(data);
        store().commitUpload(id, state, digest);

        assertServesWhole(otherReplica(), digest, data.length);
        byte[] aroundABoundary = read(store().open(digest, part - 3, 7));
        assertArrayEquals(Arrays.copyOfRange(data, part - 3, part + 4), aroundABoundary);
        assertEquals(List.of(), uploadLeftovers(id));
    }

    @Test
    void anAppendThatFailsMidwayLeavesTheUploadUsableFromItsPreviousState() throws IOException {
        byte[] first = randomBytes(2 * MIB, 6);
        byte[] lost = randomBytes(partSize() + MIB, 7);
        byte[] retried = randomBytes(MIB + 3, 8);
        byte[] more = randomBytes(partSize() + 7, 9);
        String id = newUploadId();
        UploadState afterFirst = append(store(), id, store().beginUpload(id), first);

        // fails after crossing a part boundary (and after writing more than the retry will), then before reaching one
        assertThrows(UncheckedIOException.class,
                () -> store().append(id, afterFirst, failingAfter(lost, partSize() + MIB / 2)));
        assertThrows(UncheckedIOException.class,
                () -> otherReplica().append(id, afterFirst, failingAfter(lost, 1000)));
        assertArrayEquals(first, readAll(store().readUpload(id, afterFirst)));

        UploadState afterRetry = append(otherReplica(), id, afterFirst, retried);
        assertEquals(first.length + retried.length, afterRetry.size());
        UploadState afterMore = append(store(), id, afterRetry, more);
        // the last append fails, and the client commits what it had sent before
        assertThrows(UncheckedIOException.class,
                () -> otherReplica().append(id, afterMore, failingAfter(lost, partSize() + MIB / 2)));

        byte[] expected = concat(concat(first, retried), more);
        assertEquals(expected.length, afterMore.size());
        assertArrayEquals(expected, readAll(otherReplica().readUpload(id, afterMore)));
        Digest digest = Digest.sha256Of(expected);
        store().commitUpload(id, afterMore, digest);
        assertServesWhole(store(), digest, expected.length);
    }

    @Test
    void anAppendWhoseNewStateWasNeverPersistedCanBeRedoneFromThePreviousState() throws IOException {
        byte[] first = randomBytes(2 * MIB + 1, 14);
        byte[] discarded = randomBytes(partSize() + 2 * MIB, 15);
        byte[] redone = randomBytes(partSize() + MIB, 16);
        String id = newUploadId();
        UploadState persisted = append(store(), id, store().beginUpload(id), first);

        UploadState lost = append(store(), id, persisted, discarded); // e.g. the database update failed
        UploadState afterRedo = append(otherReplica(), id, persisted, redone);

        assertEquals(first.length + discarded.length, lost.size());
        byte[] expected = concat(first, redone);
        assertArrayEquals(expected, readAll(store().readUpload(id, afterRedo)));
        Digest digest = Digest.sha256Of(expected);
        store().commitUpload(id, afterRedo, digest);
        assertEquals(digest, sha256Streaming(store().open(digest, 0, expected.length)));
    }

    @Test
    void readUploadReturnsExactlyTheAppendedBytes() throws IOException {
        String id = newUploadId();
        UploadState state = store().beginUpload(id);
        assertArrayEquals(new byte[0], readAll(store().readUpload(id, state)));

        byte[] first = randomBytes(MIB + 1, 9);
        UploadState afterFirst = append(store(), id, state, first);
        assertThrows(UncheckedIOException.class,
                () -> store().append(id, afterFirst, failingAfter(randomBytes(MIB, 10), 100_000)));

        assertArrayEquals(first, readAll(store().readUpload(id, afterFirst)));
        assertArrayEquals(first, readAll(otherReplica().readUpload(id, afterFirst)));
        assertEquals(afterFirst, store().append(id, afterFirst, InputStream.nullInputStream()));
        store().abortUpload(id, afterFirst);
    }

    @Test
    void committingADigestThatExistsKeepsTheBlobAndDiscardsTheUpload() throws IOException {
        byte[] data = randomBytes(partSize() + MIB, 11);
        Digest digest = storeBlob(data);

        String id = newUploadId();
        UploadState state = append(otherReplica(), id, otherReplica().beginUpload(id), data);
        otherReplica().commitUpload(id, state, digest);

        assertServesWhole(store(), digest, data.length);
        assertEquals(List.of(), uploadLeftovers(id));
    }

    @Test
    void concurrentCommitsOfTheSameDigestAreSafe() throws Exception {
        byte[] data = randomBytes(MIB + 5, 12);
        Digest digest = Digest.sha256Of(data);
        for (int round = 0; round < 3; round++) {
            String first = newUploadId();
            String second = newUploadId();
            UploadState firstState = append(store(), first, store().beginUpload(first), data);
            UploadState secondState = append(otherReplica(), second, otherReplica().beginUpload(second), data);
            CyclicBarrier together = new CyclicBarrier(2);

            try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
                Future<?> one = threads.submit(() -> {
                    await(together);
                    store().commitUpload(first, firstState, digest);
                });
                Future<?> two = threads.submit(() -> {
                    await(together);
                    otherReplica().commitUpload(second, secondState, digest);
                });
                one.get();
                two.get();
            }

            assertServesWhole(store(), digest, data.length);
            assertEquals(List.of(), uploadLeftovers(first));
            assertEquals(List.of(), uploadLeftovers(second));
            assertTrue(store().delete(digest));
        }
    }

    @Test
    void abortIsIdempotentAndLeavesNothingBehind() {
        byte[] data = randomBytes(partSize() + MIB, 13);
        String id = newUploadId();
        UploadState state = append(store(), id, store().beginUpload(id), data);
        assertFalse(uploadLeftovers(id).isEmpty(), "an upload in progress holds its bytes somewhere");

        store().abortUpload(id, state);
        otherReplica().abortUpload(id, state);
        store().abortUpload(newUploadId(), UploadState.empty(""));

        assertEquals(List.of(), uploadLeftovers(id));
        assertTrue(store().size(Digest.sha256Of(data)).isEmpty());
    }

    @Test
    void storesTheEmptyBlob() {
        String id = newUploadId();
        UploadState state = store().beginUpload(id);
        state = store().append(id, state, InputStream.nullInputStream());
        assertEquals(0, state.size());
        Digest empty = Digest.sha256Of(new byte[0]);

        otherReplica().commitUpload(id, state, empty);

        assertEquals(0, store().size(empty).orElseThrow());
        BlobContent content = store().open(empty, 0, 0);
        assertEquals(0, content.length());
        assertArrayEquals(new byte[0], read(content));
        assertEquals(List.of(), uploadLeftovers(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "..", ".", "a/b", "a\\b", "", "with space", "/etc/passwd", "x\u0000y"})
    void refusesUploadIdsThatCouldEscapeItsFolder(String badId) {
        UploadState state = UploadState.empty("");
        Digest digest = Digest.sha256Of(new byte[0]);

        assertThrows(IllegalArgumentException.class, () -> store().beginUpload(badId));
        assertThrows(IllegalArgumentException.class,
                () -> store().append(badId, state, new ByteArrayInputStream(new byte[10])));
        assertThrows(IllegalArgumentException.class, () -> store().readUpload(badId, state));
        assertThrows(IllegalArgumentException.class, () -> store().commitUpload(badId, state, digest));
        assertThrows(IllegalArgumentException.class, () -> store().abortUpload(badId, state));
        assertTrue(store().size(digest).isEmpty());
    }

    // --- helpers

    /** Stores {@code data} as a blob through a single upload and returns its digest. */
    protected Digest storeBlob(byte[] data) {
        String id = newUploadId();
        UploadState state = append(store(), id, store().beginUpload(id), data);
        Digest digest = Digest.sha256Of(data);
        store().commitUpload(id, state, digest);
        return digest;
    }

    protected static UploadState append(BlobStore store, String id, UploadState state, byte[] chunk) {
        return store.append(id, state, new ByteArrayInputStream(chunk));
    }

    protected static String newUploadId() {
        return UUID.randomUUID().toString();
    }

    protected static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The bytes of a range, read the way the HTTP layer would (from the file, or from the stream). */
    protected static byte[] read(BlobContent content) {
        return switch (content) {
            case BlobContent.LocalFile file -> {
                try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
                    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(file.length()));
                    while (buffer.hasRemaining() && channel.read(buffer, file.offset() + buffer.position()) >= 0) {
                        // read until the range is complete or the file ends
                    }
                    assertFalse(buffer.hasRemaining(), "the file holds the whole range");
                    yield buffer.array();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case BlobContent.Stream stream -> {
                byte[] bytes = readAll(stream.input());
                assertEquals(stream.length(), bytes.length, "the stream has the announced length");
                yield bytes;
            }
        };
    }

    protected static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code reader} holds the blob {@code digest} of {@code length} bytes and serves all of them. */
    private static void assertServesWhole(BlobStore reader, Digest digest, long length) throws IOException {
        assertEquals(length, reader.size(digest).orElseThrow());
        assertEquals(digest, sha256Streaming(reader.open(digest, 0, length)));
    }

    /** The digest of a blob's content, computed chunk by chunk as a client would. */
    private static Digest sha256Streaming(BlobContent content) throws IOException {
        return sha256Streaming(switch (content) {
            case BlobContent.LocalFile file -> new ByteArrayInputStream(read(file));
            case BlobContent.Stream stream -> stream.input();
        });
    }

    private static Digest sha256Streaming(InputStream in) throws IOException {
        MessageDigest hasher = Digest.newSha256();
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                hasher.update(buffer, 0, n);
            }
        }
        return new Digest("sha256", HexFormat.of().formatHex(hasher.digest()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Delivers the first {@code failAfter} bytes of {@code data}, then fails like a dropped connection. */
    private static InputStream failingAfter(byte[] data, int failAfter) {
        InputStream reset = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset (simulated)");
            }
        };
        return new SequenceInputStream(new ByteArrayInputStream(data, 0, failAfter), reset);
    }
}
