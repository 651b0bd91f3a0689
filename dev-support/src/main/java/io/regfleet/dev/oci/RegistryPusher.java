package io.regfleet.dev.oci;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A small OCI client that pushes blobs (POST, then one PUT with the bytes) and manifests over the distribution API:
 * filling a registry with hundreds of small images is much faster this way than with one skopeo process per image.
 * Thread-safe. Optional Basic credentials.
 */
public final class RegistryPusher {
    private final String base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public RegistryPusher(String baseUrl, String username, String password) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = username == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public RegistryPusher(String baseUrl) {
        this(baseUrl, null, null);
    }

    /** Pushes the blob unless the repository has it already; returns its digest. */
    public String pushBlob(String repository, byte[] content) {
        String digest = sha256(content);
        if (send(request(base + "/v2/" + repository + "/blobs/" + digest).method("HEAD",
                HttpRequest.BodyPublishers.noBody())).statusCode() == 200) {
            return digest;
        }
        HttpResponse<String> started = send(request(base + "/v2/" + repository + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(started, 202, "start an upload in " + repository);
        String location = URI.create(base + "/").resolve(started.headers().firstValue("Location").orElseThrow())
                .toString();
        HttpResponse<String> done = send(request(location + (location.contains("?") ? "&" : "?") + "digest=" + digest)
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        expect(done, 201, "push blob " + digest + " to " + repository);
        return digest;
    }

    /** Pushes a manifest under a tag or its digest; returns its digest. */
    public String pushManifest(String repository, String reference, String mediaType, byte[] content) {
        HttpResponse<String> response = send(request(base + "/v2/" + repository + "/manifests/" + reference)
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        expect(response, 201, "push manifest " + reference + " to " + repository);
        return sha256(content);
    }

    public static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60));
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("no answer from " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("could not " + what + ": " + response.statusCode() + " " + response.body());
        }
    }
}
