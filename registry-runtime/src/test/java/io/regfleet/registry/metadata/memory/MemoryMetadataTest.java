package io.regfleet.registry.metadata.memory;

import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.MetadataStoreContract;
import io.regfleet.registry.metadata.UploadSessions;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The contract in memory, on a clock the test moves. */
class MemoryMetadataTest extends MetadataStoreContract {
    private final ManualClock clock = new ManualClock();
    private MemoryMetadata metadata;

    @BeforeEach
    void createStore() {
        metadata = new MemoryMetadata(clock);
    }

    @Override
    protected MetadataStore store() {
        return metadata.store();
    }

    @Override
    protected UploadSessions sessions() {
        return metadata.uploadSessions();
    }

    @Override
    protected void timePasses(Duration elapsed) {
        clock.now = clock.now.plus(elapsed);
    }

    private static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
