package io.regfleet.registry.service;

import io.quarkus.runtime.StartupEvent;
import io.regfleet.registry.config.RegistryConfig;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Drops upload sessions abandoned for longer than the expiry, with their bytes, every interval. Any replica may do it. */
@ApplicationScoped
public class UploadPurger {
    private static final Logger LOG = Logger.getLogger(UploadPurger.class);
    private final UploadService uploads;

    public UploadPurger(UploadService uploads) {
        this.uploads = uploads;
    }

    void schedule(@Observes StartupEvent event, Vertx vertx, RegistryConfig config) {
        long interval = config.upload().purgeInterval().toMillis();
        vertx.setPeriodic(interval, id -> vertx.executeBlocking(this::purgeOnce, false));
    }

    /** Purges one batch; returns how many sessions were dropped. */
    public int purgeOnce() {
        try {
            int purged = uploads.discardAbandoned(100);
            if (purged > 0) {
                LOG.infof("purged %d abandoned upload sessions", purged);
            }
            return purged;
        } catch (RuntimeException e) {
            LOG.warnf("upload purge skipped: %s", e.getMessage());
            return 0;
        }
    }
}
