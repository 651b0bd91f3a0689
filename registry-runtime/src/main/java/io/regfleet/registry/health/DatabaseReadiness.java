package io.regfleet.registry.health;

import io.regfleet.registry.metadata.MetadataStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.TimeUnit;

/**
 * Ready when the metadata store (the database) answered recently. Recent work counts, so a busy pod is not probed
 * (and a saturated pool does not turn readiness off); an idle one pings the store, one cheap query through the same
 * governed path. Liveness never looks at the database: an outage must not restart every pod at once.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {
    private static final long RECENT = TimeUnit.SECONDS.toNanos(5);
    private final MetadataStore metadata;

    public DatabaseReadiness(MetadataStore metadata) {
        this.metadata = metadata;
    }

    @Override
    public HealthCheckResponse call() {
        long last = metadata.lastSuccessNanos();
        if (last != 0 && System.nanoTime() - last < RECENT) {
            return HealthCheckResponse.up("database");
        }
        try {
            metadata.ping();
            return HealthCheckResponse.up("database");
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("database").down().withData("reason", String.valueOf(e.getMessage())).build();
        }
    }
}
