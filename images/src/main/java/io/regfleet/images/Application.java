package io.regfleet.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The two programs shipped as images: where their packaged application is and what the image says about them. */
public enum Application {
    REGISTRY_RUNTIME("registry-runtime", "Regfleet registry runtime",
            "An OCI Distribution v1.1 registry: metadata in PostgreSQL, blobs in S3 or a filesystem.",
            List.of(5000, 9000)),
    OPERATOR("operator", "Regfleet operator",
            "Reconciles Registry resources into registry fleets that stay inside their database connection budget.",
            List.of(8080));

    private final String module;
    private final String title;
    private final String description;
    private final List<Integer> ports;

    Application(String module, String title, String description, List<Integer> ports) {
        this.module = module;
        this.title = title;
        this.description = description;
        this.ports = ports;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** The ports the application listens on (registry API and management, or the operator's HTTP port). */
    public List<Integer> ports() {
        return ports;
    }

    /** The module's packaged fast-jar ({@code target/quarkus-app}); fails when the module has not been packaged. */
    public Path quarkusApp(Path repository) {
        Path app = repository.resolve(module).resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app + " has no quarkus-run.jar: package " + module + " first (./mvnw package -pl "
                    + module + " -am -DskipTests)");
        }
        return app;
    }
}
