package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;

/**
 * Throughput of {@link FilesystemBlobStore#append} (not a test: run by hand after {@code test-compile}):
 * {@code java -cp registry-runtime/target/classes:registry-runtime/target/test-classes
 * io.regfleet.registry.blob.FilesystemAppendBenchmark [folder] [MiB per upload] [chunks per upload] [rounds]}
 */
public final class FilesystemAppendBenchmark {
    private static final int MIB = 1 << 20;

    public static void main(String[] args) throws Exception {
        Path root = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("regfleet-bench");
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 2048;
        int chunks = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        BlobStore store = new FilesystemBlobStore(root);
        Digest someDigest = Digest.sha256Of(new byte[0]);
        for (int round = 1; round <= rounds; round++) {
            String id = UUID.randomUUID().toString();
            UploadState state = store.beginUpload(id);
            long start = System.nanoTime();
            for (int i = 0; i < chunks; i++) {
                state = store.append(id, state, new PatternStream(mib * MIB / chunks));
            }
            long appended = System.nanoTime();
            store.commitUpload(id, state, someDigest);
            long committed = System.nanoTime();
            double seconds = (appended - start) / 1e9;
            System.out.printf("round %d: appended %d MiB in %d chunks: %.0f MiB/s; commit (fsync) %.2f s, %.0f MiB/s overall%n",
                    round, state.size() / MIB, chunks, state.size() / (double) MIB / seconds,
                    (committed - appended) / 1e9, state.size() / (double) MIB / ((committed - start) / 1e9));
            store.delete(someDigest);
        }
    }

    /** A fast source of {@code length} bytes (a repeated random MiB), so that the store is what gets measured. */
    private static final class PatternStream extends InputStream {
        private static final byte[] PATTERN = new byte[MIB];

        static {
            new Random(1).nextBytes(PATTERN);
        }

        private long remaining;
        private int position;

        PatternStream(long length) {
            this.remaining = length;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            remaining--;
            int b = PATTERN[position] & 0xff;
            position = (position + 1) % PATTERN.length;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, remaining), PATTERN.length - position);
            System.arraycopy(PATTERN, position, b, off, n);
            position = (position + n) % PATTERN.length;
            remaining -= n;
            return n;
        }
    }
}
