package io.regfleet.registry.blob;

import java.io.IOException;
import java.io.InputStream;

/** A stream whose reading is all in {@link #read(byte[], int, int)}; reading one byte goes through it too. */
abstract class BulkReadInputStream extends InputStream {

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
