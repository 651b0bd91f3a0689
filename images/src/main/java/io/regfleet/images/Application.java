package io.regfleet.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * A program shipped as an image: the module whose packaged application it is made of, what the image says about it,
 * the ports it listens on, and which of the root pom's names it is published under.
 */
public record Application(String module, String title, String description, List<Integer> ports,
                          Function<ProjectImages, String> name) {
    public static final Application REGISTRY_RUNTIME = new Application("registry-runtime", "Regfleet registry runtime",
            "An OCI Distribution v1.1 registry: metadata in PostgreSQL, blobs in S3 or a filesystem.",
            List.of(5000, 9000), ProjectImages::runtimeName);
    public static final Application OPERATOR = new Application("operator", "Regfleet operator",
            "Reconciles Registry resources into registry fleets that stay inside their database connection budget.",
            List.of(8080), ProjectImages::operatorName);
    /** In the order they are built and reported. */
    public static final List<Application> ALL = List.of(REGISTRY_RUNTIME, OPERATOR);

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
