package io.regfleet.e2e.k3s;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the K3s test finds the repository's manifests and the packaged applications (surefire passes the root). */
record RepositoryLayout(Path root) {
    static RepositoryLayout fromSystemProperty() {
        String root = System.getProperty("regfleet.repo.dir");
        if (root == null) {
            throw new IllegalStateException("system property regfleet.repo.dir is not set (run through Maven)");
        }
        return new RepositoryLayout(Path.of(root).toAbsolutePath().normalize());
    }

    /** The module's target/quarkus-app, which must have been packaged before (./mvnw package). */
    Path quarkusApp(String module) {
        Path app = root.resolve(module).resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app + " has no quarkus-run.jar: package " + module + " first");
        }
        return app;
    }

    Path crds() {
        return root.resolve("crds");
    }

    Path config() {
        return root.resolve("config");
    }
}
