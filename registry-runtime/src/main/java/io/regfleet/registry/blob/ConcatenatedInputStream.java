package io.regfleet.registry.blob;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Pieces read one after the other, each opened only when the previous one is used up (unlike
 * {@link java.io.SequenceInputStream}, closing early does not open the remaining pieces).
 */
final class ConcatenatedInputStream extends BulkReadInputStream {
    private final Iterator<Supplier<InputStream>> pieces;
    private InputStream current;

    ConcatenatedInputStream(List<Supplier<InputStream>> pieces) {
        this.pieces = List.copyOf(pieces).iterator();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (current == null) {
                if (!pieces.hasNext()) {
                    return -1;
                }
                current = pieces.next().get();
            }
            int n = current.read(b, off, len);
            if (n >= 0) {
                return n;
            }
            current.close();
            current = null;
        }
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
        while (pieces.hasNext()) {
            pieces.next(); // never opened, nothing to close
        }
    }
}
