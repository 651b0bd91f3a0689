package io.regfleet.registry.service;

import io.quarkus.runtime.StartupEvent;
import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.metadata.UploadSession;
import io.regfleet.registry.metadata.UploadSessions;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

/** Drops upload sessions abandoned for longer than the expiry, with their bytes. Any replica may do it. */
@ApplicationScoped
public class UploadPurger {
    private static final Logger LOG = Logger.getLogger(UploadPurger.class);
    private final UploadSessions sessions;
    private final UploadService uploads;
    private final RegistryConfig config;

    public UploadPurger(UploadSessions sessions, UploadService uploads, RegistryConfig config) {
        this.sessions = sessions;
        this.uploads = uploads;
        this.config = config;
    }

    void schedule(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(config.upload().purgeInterval().toMillis(),
                id -> vertx.executeBlocking(() -> purgeOnce(), false));
    }

    /** Purges one batch; returns how many sessions were dropped. */
    public int purgeOnce() {
        try {
            List<UploadSession> abandoned = sessions.abandoned(config.upload().expiry(), 100);
            for (UploadSession session : abandoned) {
                uploads.discard(session);
            }
            if (!abandoned.isEmpty()) {
                LOG.infof("purged %d abandoned upload sessions", abandoned.size());
            }
            return abandoned.size();
        } catch (RuntimeException e) {
            LOG.warnf("upload purge skipped: %s", e.getMessage());
            return 0;
        }
    }
}
