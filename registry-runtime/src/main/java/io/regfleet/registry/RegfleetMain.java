package io.regfleet.registry;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.regfleet.registry.config.RegistryConfig;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Two modes: {@code serve} (the registry) and {@code migrate} (apply the schema migrations, which Flyway does at
 * start, then exit: the operator runs it as a Job once per version before new pods serve).
 */
@QuarkusMain
public class RegfleetMain implements QuarkusApplication {
    private static final Logger LOG = Logger.getLogger(RegfleetMain.class);

    @Inject
    RegistryConfig config;

    @Override
    public int run(String... args) {
        if ("migrate".equals(config.mode())) {
            LOG.info("schema migrations applied; exiting (regfleet.mode=migrate)");
            return 0;
        }
        Quarkus.waitForExit();
        return 0;
    }
}
