package io.regfleet.registry.service;

import io.regfleet.registry.oci.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A blob's bytes, hashed as they stream: at the end, the bytes must be exactly {@code length} long and match the
 * digest, or the read fails (so the response ends abnormally and the client does not trust what it got) after
 * {@code onMismatch} has run; when they match, {@code onMatch} runs before the end is reported.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final Digest digest;
    private final long length;
    private final Runnable onMismatch;
    private final Runnable onMatch;
    private final MessageDigest hasher;
    private long count;
    private boolean checked;

    public VerifyingInputStream(InputStream in, Digest digest, long length, Runnable onMismatch) {
        this(in, digest, length, onMismatch, () -> { });
    }

    public VerifyingInputStream(InputStream in, Digest digest, long length, Runnable onMismatch, Runnable onMatch) {
        super(in);
        this.digest = digest;
        this.length = length;
        this.onMismatch = onMismatch;
        this.onMatch = onMatch;
        this.hasher = digest.newHasher();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, (int) Math.min(len, Math.max(1, length + 1 - count)));
        if (n > 0) {
            hasher.update(b, off, n);
            count += n;
            if (count > length) {
                fail();
            }
        } else if (n < 0) {
            check();
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("a verified read cannot skip");
    }

    private void check() throws IOException {
        if (!checked) {
            checked = true;
            if (count != length || !digest.matches(hasher)) {
                fail();
            }
            onMatch.run();
        }
    }

    private void fail() throws IOException {
        checked = true;
        onMismatch.run();
        throw new IOException("blob " + digest + " failed verification: its stored bytes do not match the digest");
    }
}
