package io.regfleet.registry.blob;

import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Up to one S3 part of bytes, held in pooled 1 MiB arrays taken as it fills (a small append costs a small buffer).
 * Not thread-safe; {@link #close()} returns the arrays to the pool.
 */
final class PartBuffer implements AutoCloseable {
    private final long capacity;
    private final BufferPool pool;
    private final List<byte[]> arrays = new ArrayList<>();
    private long size;

    PartBuffer(long capacity, BufferPool pool) {
        this.capacity = capacity;
        this.pool = pool;
    }

    /** Reads from {@code data} until this buffer is full or the data ends; returns how many bytes were read. */
    long fill(InputStream data) {
        long before = size;
        while (size < capacity) {
            int index = (int) (size / BufferPool.BUFFER_SIZE);
            int within = (int) (size % BufferPool.BUFFER_SIZE);
            if (index == arrays.size()) {
                arrays.add(pool.take());
            }
            int wanted = (int) Math.min(BufferPool.BUFFER_SIZE - within, capacity - size);
            int read = UploadData.readFully(data, arrays.get(index), within, wanted);
            size += read;
            if (read < wanted) {
                break;
            }
        }
        return size - before;
    }

    boolean isFull() {
        return size == capacity;
    }

    long size() {
        return size;
    }

    /** Empties the buffer, keeping its arrays for the next part. */
    void clear() {
        size = 0;
    }

    /** The buffered bytes as a request body; the SDK may read it more than once (retries), each time afresh. */
    RequestBody body() {
        long length = size;
        return RequestBody.fromContentProvider(() -> stream(length), length, "application/octet-stream");
    }

    private InputStream stream(long length) {
        List<InputStream> pieces = new ArrayList<>();
        for (int i = 0; (long) i * BufferPool.BUFFER_SIZE < length; i++) {
            int pieceLength = (int) Math.min(BufferPool.BUFFER_SIZE, length - (long) i * BufferPool.BUFFER_SIZE);
            pieces.add(new ByteArrayInputStream(arrays.get(i), 0, pieceLength));
        }
        return new SequenceInputStream(Collections.enumeration(pieces));
    }

    @Override
    public void close() {
        arrays.forEach(pool::give);
        arrays.clear();
        size = 0;
    }
}
