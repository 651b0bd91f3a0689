package io.regfleet.registry;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.tools.importer.ImportCommand;
import io.regfleet.registry.tools.verify.VerifyCommand;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The modes ({@code regfleet.mode}): {@code serve} (the registry), {@code migrate} (apply the schema migrations,
 * which Flyway does at start, then exit: the operator runs it as a Job once per version before new pods serve),
 * {@code verify} (check the whole store, report, exit) and {@code import} (copy another registry in, prove it, exit).
 */
@QuarkusMain
public class RegfleetMain implements QuarkusApplication {
    private static final Logger LOG = Logger.getLogger(RegfleetMain.class);

    @Inject
    RegistryConfig config;

    @Inject
    Instance<VerifyCommand> verify;

    @Inject
    Instance<ImportCommand> importer;

    @Override
    public int run(String... args) {
        return switch (config.mode()) {
            case "serve" -> {
                Quarkus.waitForExit();
                yield 0;
            }
            case "migrate" -> {
                LOG.info("schema migrations applied; exiting (regfleet.mode=migrate)");
                yield 0;
            }
            case "verify" -> verify.get().run();
            case "import" -> importer.get().run();
            default -> {
                LOG.errorf("unknown regfleet.mode '%s': serve, migrate, verify or import", config.mode());
                yield 2;
            }
        };
    }
}
