package io.regfleet.registry.tools.importer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.regfleet.dev.oci.RegistryPusher;
import io.regfleet.dev.oci.SampleImages;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.http.ApiServer;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Import from a real CNCF distribution (behind Basic authentication) holding a few hundred images of every kind:
 * OCI and Docker images, OCI indexes and Docker lists, artifacts with their subject listed under the referrers tag
 * schema. The proof reports no difference; a second import copies nothing and proves again; a source blob whose bytes
 * were changed on the source's disk is reported by digest and never stored.
 */
@QuarkusTest
@TestProfile(ImportFromDistributionTest.FromPeer.class)
@QuarkusTestResource(PostgresTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportFromDistributionTest {
    /** The peer as the source, and a database and blob folder of this test's own. */
    public static class FromPeer implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DistributionTestResource.class));
        }
    }

    private static SampleImages.Pushed pushed;
    private final HttpClient http = HttpClient.newHttpClient();

    @Inject
    ImportCommand importer;
    @Inject
    MetadataStore metadata;
    @Inject
    BlobStore blobStore;
    @Inject
    ApiServer api;

    @BeforeEach
    void fillThePeer() {
        if (pushed == null) {
            pushed = SampleImages.push(peerPusher(), new SampleImages.Options("peer", 8, 36, 512 * 1024, 128 * 1024, 11), 4);
        }
    }

    @Test
    @Order(1)
    void importsEveryImageAndProvesItWithNoDifference() throws Exception {
        ImportReport report = importer.importAll();

        assertEquals(List.of(), report.differences(), report.jsonLine());
        assertEquals(0, report.exitCode());
        assertEquals(pushed.tags().size(), report.repositories());
        assertEquals(pushed.tagCount(), report.copied().tags());
        assertEquals(pushed.manifests().size(), report.copied().manifests(), "every manifest, children included");
        assertEquals(pushed.blobs().size(), report.copied().blobs(), "each blob streamed once");
        assertEquals(pushed.blobBytes(), report.copied().bytes());
        assertEquals(pushed.tagCount(), report.proven().tags());
        assertEquals(pushed.manifests().size(), report.proven().manifests());
        assertEquals(pushed.blobs().size(), report.proven().blobs());
        System.out.printf("FIGURE import: %d images (tags) of %d repositories, %d manifests, %d blobs (%.1f MiB) in "
                        + "%.2f s: %.1f images/s, %.1f MiB/s; proof (blobs re-hashed) %.2f s%n", report.copied().tags(),
                report.repositories(), report.copied().manifests(), report.copied().blobs(),
                report.copied().bytes() / 1048576.0, report.copySeconds(), report.imagesPerSecond(),
                report.mibPerSecond(), report.proofSeconds());

        String repository = pushed.tags().keySet().iterator().next();
        for (String tag : pushed.tags().get(repository)) {
            assertArrayEquals(get(peerUrl(), repository, "manifests/" + tag, true),
                    get("http://127.0.0.1:" + api.port(), repository, "manifests/" + tag, false),
                    "pulled here byte for byte as from the source: " + tag);
        }
        String fallbackTag = pushed.tags().get(repository).stream().filter(t -> t.startsWith("sha256-")).findFirst()
                .orElseThrow();
        String subject = fallbackTag.replace('-', ':');
        assertEquals(2, metadata.referrers(new RepositoryName(repository), Digest.parse(subject), null).size(),
                "artifacts of the tag schema answer the referrers API here");
    }

    @Test
    @Order(2)
    void aSecondImportCopiesNothingAndProvesAgain() {
        ImportReport report = importer.importAll();

        assertEquals(List.of(), report.differences(), report.jsonLine());
        assertEquals(pushed.tagCount(), report.copied().tags());
        assertEquals(0, report.copied().manifests());
        assertEquals(0, report.copied().blobs());
        assertEquals(0, report.copied().bytes());
        assertTrue(report.copied().manifestsPresent() >= pushed.tagCount());
        assertEquals(pushed.tagCount(), report.proven().tags());
    }

    @Test
    @Order(3)
    void aCorruptedSourceBlobIsReportedByDigestAndNotStored() throws Exception {
        byte[] layer = new byte[200_000];
        new Random(5).nextBytes(layer);
        String manifest = SampleImages.pushImage(peerPusher(), "peer/corrupt", "v1", layer);
        String layerDigest = RegistryPusher.sha256(layer);
        Path onDisk = DistributionTestResource.peer.blobFile(layerDigest);
        byte[] bytes = Files.readAllBytes(onDisk);
        bytes[12345] ^= 0x40;
        Files.write(onDisk, bytes);

        ImportReport report = importer.importAll();

        assertEquals(1, report.exitCode());
        Set<String> found = report.differences().stream().map(d -> d.repository() + " " + d.kind() + " " + d.digest())
                .collect(Collectors.toSet());
        assertTrue(found.contains("peer/corrupt source-blob-digest " + layerDigest), found.toString());
        assertTrue(found.contains("peer/corrupt not-imported " + manifest), found.toString());
        assertTrue(found.contains("peer/corrupt tag-missing "), found.toString());
        assertEquals(Set.of("peer/corrupt"), report.differences().stream().map(Difference::repository)
                .collect(Collectors.toSet()), "every other repository proves identical");
        RepositoryName corrupt = new RepositoryName("peer/corrupt");
        assertEquals(OptionalLong.empty(), metadata.blobSize(corrupt, Digest.parse(layerDigest)));
        assertEquals(OptionalLong.empty(), blobStore.size(Digest.parse(layerDigest)), "no byte of it stored");
        assertEquals(404, status("http://127.0.0.1:" + api.port() + "/v2/peer/corrupt/manifests/v1"));
    }

    private static RegistryPusher peerPusher() {
        return new RegistryPusher(peerUrl(), DistributionTestResource.USER, DistributionTestResource.PASSWORD);
    }

    private static String peerUrl() {
        return DistributionTestResource.peer.url();
    }

    private byte[] get(String base, String repository, String path, boolean authenticated) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/" + path))
                .header("Accept", String.join(",", List.of("application/vnd.oci.image.manifest.v1+json",
                        "application/vnd.oci.image.index.v1+json", SampleImages.DOCKER_MANIFEST, SampleImages.DOCKER_LIST)));
        if (authenticated) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (DistributionTestResource.USER + ":" + DistributionTestResource.PASSWORD).getBytes()));
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), base + " " + path);
        return response.body();
    }

    private int status(String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

}
