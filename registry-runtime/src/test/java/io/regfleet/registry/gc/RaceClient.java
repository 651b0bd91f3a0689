package io.regfleet.registry.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.registry.oci.Digest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client that pushes as Docker does: every blob looked for (HEAD), mounted from another repository or uploaded, all
 * at once, then the manifest. Under a zero review delay the collector may take a blob between its upload and the
 * manifest (that is what the delay is for): the manifest is refused naming the blobs it lacks, and the client pushes
 * those again and retries, a bounded number of times, as a user retrying a failed push would.
 */
final class RaceClient {
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final int ATTEMPTS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    RaceClient(String base) {
        this.base = base;
    }

    /** A pushed image: its manifest and every blob's bytes, config first. */
    record Image(String repository, String tag, byte[] manifest, Map<Digest, byte[]> blobs) {
        Digest digest() {
            return Digest.sha256Of(manifest);
        }
    }

    /**
     * Pushes the image; returns how many manifest puts were refused for a blob collected meanwhile, or -1 when the
     * registry never accepted it (then nothing is tagged and what was uploaded is garbage).
     */
    int push(Image image, List<String> mountFrom) {
        List<Digest> needed = new ArrayList<>(image.blobs().keySet());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ensureAll(image, needed, mountFrom);
            HttpResponse<byte[]> put = send("PUT", "/v2/" + image.repository() + "/manifests/" + image.tag(),
                    image.manifest(), "Content-Type", MANIFEST);
            if (put.statusCode() == 201) {
                return attempt;
            }
            if (put.statusCode() == 400) {
                needed = missingBlobs(put);
            } else if (put.statusCode() != 503) {
                throw new AssertionError("manifest put answered " + put.statusCode() + ": "
                        + new String(put.body(), StandardCharsets.UTF_8));
            }
        }
        return -1;
    }

    /** The blobs a MANIFEST_BLOB_UNKNOWN names; anything else is a failure of the test. */
    private static List<Digest> missingBlobs(HttpResponse<byte[]> refused) {
        try {
            JsonNode error = JSON.readTree(refused.body()).path("errors").path(0);
            if (!"MANIFEST_BLOB_UNKNOWN".equals(error.path("code").asText())) {
                throw new AssertionError("manifest refused: " + error);
            }
            List<Digest> missing = new ArrayList<>();
            error.path("detail").path("digests").forEach(d -> missing.add(Digest.parse(d.asText())));
            return missing;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every needed blob in the repository, at once (Docker pushes layers in parallel). */
    private void ensureAll(Image image, List<Digest> needed, List<String> mountFrom) {
        try (var uploads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            needed.forEach(digest -> all.add(uploads.submit(
                    () -> ensure(image.repository(), digest, image.blobs().get(digest), mountFrom))));
            for (Future<?> upload : all) {
                upload.get();
            }
        } catch (ExecutionException e) {
            throw new AssertionError("a blob push failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void ensure(String repository, Digest digest, byte[] bytes, List<String> mountFrom) {
        while (true) {
            int head = send("HEAD", "/v2/" + repository + "/blobs/" + digest, null).statusCode();
            if (head == 200) {
                return;
            }
            String from = mountFrom.get(ThreadLocalRandom.current().nextInt(mountFrom.size()));
            if (!from.equals(repository) && send("POST", "/v2/" + repository + "/blobs/uploads/?mount=" + digest
                    + "&from=" + from, null).statusCode() == 201) {
                return;
            }
            int upload = send("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, bytes,
                    "Content-Type", "application/octet-stream").statusCode();
            if (upload == 201) {
                return;
            }
            if (upload != 503) {
                throw new AssertionError("blob upload answered " + upload);
            }
        }
    }

    /** Deletes by tag or by digest; true when the registry did (202). */
    boolean delete(String repository, String reference) {
        int status = send("DELETE", "/v2/" + repository + "/manifests/" + reference, null).statusCode();
        if (status != 202 && status != 404 && status != 503) {
            throw new AssertionError("delete answered " + status);
        }
        return status == 202;
    }

    HttpResponse<byte[]> get(String path) {
        return send("GET", path, null);
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
