package io.regfleet.images;

import io.regfleet.dev.LocalRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code make images [IMAGE_REGISTRY=host[:port][/path]] [BASE_IMAGE=ref]}: builds both images and pushes them. Without
 * IMAGE_REGISTRY they go to the local registry of {@code make run} (127.0.0.1:5000, data in .regfleet/): the one already
 * running, or one started for the build, so that they stay there for {@code make run} to serve.
 */
public final class BuildImages {
    private static final String LOCAL = "127.0.0.1:5000";

    private BuildImages() {
    }

    public static void main(String[] args) throws IOException {
        Path repository = Path.of(System.getProperty("regfleet.repo.dir", ".")).toAbsolutePath().normalize();
        Path home = repository.resolve(".regfleet");
        Path cache = Files.createDirectories(home.resolve("images"));
        String target = System.getProperty("regfleet.images.registry", "");
        String base = System.getProperty("regfleet.images.base", "");
        ImageBuild build = new ImageBuild(ProjectImages.load(), repository, cache, null);

        LocalRegistry.Running started = null;
        if (target.isBlank() && !answers(LOCAL)) {
            System.out.println("Starting the local registry on " + LOCAL + " (log: " + cache.resolve("registry.log") + ")");
            started = LocalRegistry.start(home, cache.resolve("registry.log"));
        }
        try {
            List<ImageBuild.Pushed> pushed = build.build(new ImageRegistry(target.isBlank() ? LOCAL : target),
                    base.isBlank() ? null : base);
            System.out.println();
            for (ImageBuild.Pushed p : pushed) {
                System.out.printf("%-18s %s%n%18s %s%s%n", p.role(), p.reference(), "",
                        p.digest() == null ? "" : p.digest(), p.note() == null ? "" : "  (" + p.note() + ")");
            }
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }

    /** Whether a registry already serves the OCI API there (e.g. make run in another terminal). */
    private static boolean answers(String address) {
        try {
            HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 && r.headers().firstValue("Docker-Distribution-API-Version").isPresent();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
