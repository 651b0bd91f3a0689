package io.regfleet.registry.replica;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.RegistryProcess;
import io.regfleet.dev.StreamingReplica;
import io.regfleet.fleet.FleetApi;
import io.regfleet.fleet.PodSetting;
import io.regfleet.fleet.ReplicaReport;
import io.regfleet.registry.oci.Digest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.regfleet.registry.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two registry processes on one primary and its hot standby, as two pods of a fleet: while the standby replays
 * nothing, a push through one is read through the other. The max lag is a minute, so the standby is never quarantined
 * here: the other pod sends the read to the primary only because the write's notice told it the write's WAL position.
 */
class ReadReplicaProcessIT {
    private static final String TOKEN = "it-agent-token";
    private static final String REPO = "it/app";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedPostgresServer primary;
    private static EmbeddedPostgresServer standby;
    private static RegistryProcess writer;
    private static RegistryProcess reader;

    @BeforeAll
    static void start(@TempDir Path work) throws IOException {
        primary = EmbeddedPostgresServer.temporary(Map.of("max_connections", "40")).start().createDatabase("regfleet");
        standby = StreamingReplica.of(primary, "it", Map.of("max_connections", "40"));
        Path token = Files.writeString(work.resolve("token"), TOKEN);
        writer = registry(work, token, "pod-a").start().awaitReady(Duration.ofSeconds(90));
        reader = registry(work, token, "pod-b").start().awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable part : new AutoCloseable[] {reader, writer, standby, primary}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                // the others still stop
            }
        }
    }

    @Test
    void aPushThroughOnePodIsReadThroughTheOtherWhileTheStandbyReplaysNothing() throws Exception {
        push("v0");
        until(() -> tagsThrough(reader).contains("\"v0\"") && report(reader).readsTotal() > 0,
                "the other pod reads on the standby what it has replayed");
        StreamingReplica.pauseReplay(standby);
        try {
            String digest = push("v1");
            assertEquals(200, send(reader, "GET", "/v2/" + REPO + "/manifests/" + digest, null).statusCode(),
                    "the standby lacks it: its miss is asked of the primary");
            until(() -> tagsThrough(reader).contains("\"v1\""),
                    "the other pod reads the tag list on the primary once it has heard where the push ended");
            assertTrue(report(reader).serving(), "not quarantined: routed by the write's position");
        } finally {
            StreamingReplica.resumeReplay(standby);
        }
    }

    private static RegistryProcess registry(Path work, Path token, String pod) throws IOException {
        return RegistryProcess.builder()
                .property("quarkus.datasource.jdbc.url", primary.jdbcUrl("regfleet"))
                .property("quarkus.datasource.username", EmbeddedPostgresServer.SUPERUSER)
                .property("quarkus.datasource.password", "postgres")
                .property("regfleet.storage.filesystem.root", work.resolve("blobs"))
                .property("regfleet.registry-name", "it")
                .property("regfleet.pod-name", pod)
                .property(PodSetting.DB_READ_REPLICAS.property(), "127.0.0.1:" + standby.port())
                .property(PodSetting.DB_REPLICA_MAX_LAG.property(), "60S")
                .property(PodSetting.POOL_REPLICA_MAX_SIZE.property(), "2")
                .property("regfleet.agent.token-file", token)
                .property("quarkus.log.level", "WARN")
                .log(Files.createTempFile(work, pod, ".log"))
                .build();
    }

    /** Pushes a config blob and a manifest over it, tagged; returns the manifest's digest. */
    private static String push(String tag) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
        String configDigest = Digest.sha256Of(config).toString();
        assertEquals(201, send(writer, "POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + configDigest, config).statusCode());
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(writer.url() + "/v2/" + REPO + "/manifests/" + tag))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
        return Digest.sha256Of(manifest).toString();
    }

    private static String tagsThrough(RegistryProcess registry) {
        try {
            HttpResponse<String> tags = send(registry, "GET", "/v2/" + REPO + "/tags/list", null);
            assertEquals(200, tags.statusCode(), tags.body());
            return tags.body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ReplicaReport report(RegistryProcess registry) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(registry.managementUrl() + FleetApi.REPLICAS))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            List<ReplicaReport> reports = JSON.readValue(response.body(), new TypeReference<>() {
            });
            return reports.getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(RegistryProcess registry, String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/octet-stream");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
