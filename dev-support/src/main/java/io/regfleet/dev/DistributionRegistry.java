package io.regfleet.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * CNCF distribution (Debian's {@code docker-registry}, 2.8) as a child process on 127.0.0.1 and a free port, with a
 * filesystem store in a folder of its own: the other registry that imports are tested against. Optionally behind
 * htpasswd Basic authentication (a bcrypt line, as {@code htpasswd -B} writes it). Install it with
 * {@code apt-get install -y docker-registry}.
 */
public final class DistributionRegistry implements AutoCloseable {
    private static final String BINARY = "docker-registry";
    private final Path root;
    private final int port;
    private Process process;

    private DistributionRegistry(Path root, int port) {
        this.root = root;
        this.port = port;
    }

    /** Whether the package is installed. */
    public static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, BINARY))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts a registry whose data lives under {@code root}, answering once {@code /v2/} does.
     *
     * @param htpasswd an htpasswd line ({@code user:$2y$...}) to require Basic authentication, or null for none
     */
    public static DistributionRegistry start(Path root, String htpasswd) {
        DistributionRegistry registry = new DistributionRegistry(root, FreePorts.next());
        try {
            Files.createDirectories(root.resolve("data"));
            String auth = "";
            if (htpasswd != null) {
                Files.writeString(root.resolve("htpasswd"), htpasswd + "\n");
                auth = "auth:\n  htpasswd:\n    realm: regfleet-test\n    path: " + root.resolve("htpasswd") + "\n";
            }
            Files.writeString(root.resolve("config.yml"), """
                    version: 0.1
                    log:
                      level: warn
                      accesslog:
                        disabled: true
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                      maintenance:
                        uploadpurging:
                          enabled: false
                    http:
                      addr: 127.0.0.1:%d
                      secret: regfleet-test-only
                    """.formatted(root.resolve("data"), registry.port) + auth);
            registry.process = new ProcessBuilder(List.of(BINARY, "serve", root.resolve("config.yml").toString()))
                    .redirectErrorStream(true).redirectOutput(root.resolve("registry.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY + " (apt-get install -y docker-registry)", e);
        }
        registry.awaitAnswer();
        return registry;
    }

    private void awaitAnswer() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        for (int attempt = 0; attempt < 100; attempt++) {
            if (!process.isAlive()) {
                throw new IllegalStateException(BINARY + " exited; see " + root.resolve("registry.log"));
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create(url() + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException(BINARY + " did not answer; see " + root.resolve("registry.log"));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The file distribution keeps a blob's bytes in (its filesystem driver's layout). */
    public Path blobFile(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return root.resolve("data/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex)
                .resolve("data");
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
