package io.regfleet.registry.tools.importer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.regfleet.dev.DistributionRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * CNCF distribution behind Basic authentication, the source of the import tests; the registry under test is
 * configured to import from it with the credentials.
 */
public class DistributionTestResource implements QuarkusTestResourceLifecycleManager {
    static final String USER = "importer";
    static final String PASSWORD = "peer-secret";
    /** {@code htpasswd -Bbn -C 4 importer peer-secret}: distribution reads bcrypt only. */
    private static final String HTPASSWD = USER + ":$2y$04$f2rJABLIL.MdzQGehwlUFOwIlk0zT8FrOf8SkHUCpgeTP3hx5wq.S";
    static DistributionRegistry peer;

    @Override
    public Map<String, String> start() {
        try {
            peer = DistributionRegistry.start(Files.createTempDirectory("regfleet-peer"), HTPASSWD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("regfleet.import.from", peer.url(), "regfleet.import.username", USER,
                "regfleet.import.password", PASSWORD);
    }

    @Override
    public void stop() {
        if (peer != null) {
            peer.close();
        }
    }
}
