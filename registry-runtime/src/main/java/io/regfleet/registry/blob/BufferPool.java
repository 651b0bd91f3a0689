package io.regfleet.registry.blob;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reusable 1 MiB byte arrays for the copy loops of the drivers: large buffers keep system calls few, and reusing
 * them keeps large short-lived arrays away from the garbage collector. Keeps at most {@code retained} idle arrays.
 */
final class BufferPool {
    static final int BUFFER_SIZE = 1 << 20;
    static final BufferPool SHARED = new BufferPool(32);

    private final ArrayBlockingQueue<byte[]> idle;

    BufferPool(int retained) {
        this.idle = new ArrayBlockingQueue<>(retained);
    }

    byte[] take() {
        byte[] buffer = idle.poll();
        return buffer != null ? buffer : new byte[BUFFER_SIZE];
    }

    void give(byte[] buffer) {
        idle.offer(buffer); // dropped when the pool is full
    }
}
