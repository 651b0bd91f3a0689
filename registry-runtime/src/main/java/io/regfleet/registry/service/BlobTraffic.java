package io.regfleet.registry.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Blob bytes through this pod, {@code regfleet_blob_bytes_total{direction}}: {@code in} as upload chunks are stored,
 * {@code out} as a read (whole blob or range) starts, the length it will send.
 */
@Singleton
public class BlobTraffic {
    private final Counter in;
    private final Counter out;

    BlobTraffic(MeterRegistry meters) {
        in = Counter.builder("regfleet.blob.bytes").tag("direction", "in").baseUnit("bytes")
                .description("Blob bytes stored by uploads, or sent by reads").register(meters);
        out = Counter.builder("regfleet.blob.bytes").tag("direction", "out").baseUnit("bytes")
                .description("Blob bytes stored by uploads, or sent by reads").register(meters);
    }

    void stored(long bytes) {
        in.increment(bytes);
    }

    void sent(long bytes) {
        out.increment(bytes);
    }
}
