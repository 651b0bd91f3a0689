package io.regfleet.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.FreePorts;
import io.regfleet.dev.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code make images} builds, checked as a cluster would use it: the base from Debian and both images pushed into
 * the project's own registry (started here from the packaged runtime), their configuration read back with skopeo, and
 * the registry image run by runc from its own filesystem and entrypoint against an embedded PostgreSQL. Needs root,
 * mmdebstrap, skopeo, umoci and runc (.ci/run installs them).
 */
class ImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPOSITORY = Path.of(System.getProperty("regfleet.repo.dir", "..")).toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("regfleet.expected.version");

    static LocalRegistry.Running local;
    static ImageBuild.Pushed base;
    static ImageBuild.Pushed runtime;
    static ImageBuild.Pushed operator;

    @BeforeAll
    static void buildIntoTheProjectsOwnRegistry(@TempDir Path blobs) throws IOException {
        for (String tool : List.of("mmdebstrap", "skopeo", "umoci", "runc")) {
            Command.output(List.of("sh", "-c", "command -v " + tool + " || { echo '" + tool
                    + " is required by the image test: apt-get install " + tool + "'; exit 1; }"));
        }
        local = LocalRegistry.startTemporary(blobs);
        local.postgres().createDatabase("fromimage");
        Path target = Files.createDirectories(REPOSITORY.resolve("images/target"));
        List<ImageBuild.Pushed> pushed = new ImageBuild(ProjectImages.load(), REPOSITORY, REPOSITORY.resolve(".regfleet/images"),
                target.resolve("base-build.log")).build(new ImageRegistry("127.0.0.1:" + local.registry().port()), null);
        base = pushed.get(0);
        runtime = pushed.get(1);
        operator = pushed.get(2);
        System.out.println("ImagesTest built " + pushed);
    }

    @AfterAll
    static void stop() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void theRuntimeImageRunsAsANonRootUserOnItsPortsWithTheProjectsLabels() {
        JsonNode config = configOf(runtime).get("config");
        assertRunsTheFastJarAsNonRoot(config);
        assertEquals(Set.of("5000/tcp", "9000/tcp"), fieldNames(config.get("ExposedPorts")));
        assertLabels(config.get("Labels"), Application.REGISTRY_RUNTIME);
    }

    @Test
    void theOperatorImageRunsAsANonRootUserOnItsPortWithTheProjectsLabels() {
        JsonNode config = configOf(operator).get("config");
        assertRunsTheFastJarAsNonRoot(config);
        assertEquals(Set.of("8080/tcp"), fieldNames(config.get("ExposedPorts")));
        assertLabels(config.get("Labels"), Application.OPERATOR);
    }

    @Test
    void bothImagesAreTheirApplicationLayersOnTheDebianBase() {
        List<String> baseLayers = layersOf(base);
        assertEquals(1, baseLayers.size(), "the base is one layer (the root filesystem mmdebstrap made)");
        for (ImageBuild.Pushed image : List.of(runtime, operator)) {
            List<String> layers = layersOf(image);
            assertEquals(baseLayers, layers.subList(0, 1), image.reference() + " starts with the base's layer");
            assertEquals(5, layers.size(), image.reference() + ": base, boot libraries, libraries, project libraries, application");
            assertEquals("1970-01-01T00:00:00Z", configOf(image).get("created").asText(), "reproducible: no build time");
        }
    }

    @Test
    void theRegistryStartsFromItsImagesFilesystemAndEntrypointAndServesPushes(@TempDir Path work) throws Exception {
        int port = FreePorts.next();
        Map<String, String> environment = Map.of(
                "REGFLEET_HTTP_HOST", "127.0.0.1", "REGFLEET_HTTP_PORT", String.valueOf(port),
                "QUARKUS_MANAGEMENT_HOST", "127.0.0.1", "QUARKUS_MANAGEMENT_PORT", String.valueOf(FreePorts.next()),
                "REGFLEET_DB_HOST", "127.0.0.1", "REGFLEET_DB_PORT", String.valueOf(local.postgres().port()), "REGFLEET_DB_NAME", "fromimage",
                "QUARKUS_DATASOURCE_USERNAME", EmbeddedPostgresServer.SUPERUSER, "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "REGFLEET_STORAGE_FILESYSTEM_ROOT", "/var/lib/regfleet");
        try (ImageContainer container = ImageContainer.start(runtime.reference(), work, environment, List.of("/tmp", "/var/lib/regfleet"))) {
            HttpResponse<String> v2 = awaitV2(container, port);
            assertEquals(200, v2.statusCode(), container.logTail());
            assertEquals("registry/2.0", v2.headers().firstValue("Docker-Distribution-API-Version").orElse(""));
            assertEquals(1001, container.uid(), "the entrypoint runs as the image's user");
            assertTrue(container.exec("java", "-version").contains("openjdk version \"21."), "a JDK 21 runtime");

            Path layout = work.resolve("tiny");
            Path tar = Files.createTempFile(work, "tiny", ".tar");
            Command.output(List.of("tar", "-cf", tar.toString(), "-C", REPOSITORY.toString(), "README.md"));
            OciImageWriter.write(tar, JSON.createObjectNode().put("architecture", "amd64").put("os", "linux"), layout, "v1");
            String pushedHere = "127.0.0.1:" + port + "/smoke/readme:v1";
            String digest = Skopeo.push("oci:" + layout + ":v1", pushedHere, new ImageRegistry("127.0.0.1:" + port));
            assertTrue(Command.output(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + pushedHere))
                    .contains("application/vnd.oci.image.manifest.v1+json"), "the pushed manifest is served back");
            assertTrue(digest.startsWith("sha256:"));
        }
    }

    private static void assertRunsTheFastJarAsNonRoot(JsonNode config) {
        String user = config.get("User").asText();
        assertTrue(user.matches("[1-9][0-9]*:0"), "a numeric non-root user in group 0: " + user);
        List<String> entrypoint = JSON.convertValue(config.get("Entrypoint"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        assertEquals(AppImageBuilder.entrypoint(), entrypoint);
        assertEquals("java", entrypoint.get(0));
        assertEquals(List.of("-jar", "/deployments/quarkus-run.jar"), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
        assertFalse(entrypoint.stream().anyMatch(a -> a.startsWith("--add-opens")), "JDK 21 needs no --add-opens: " + entrypoint);
        assertEquals("/deployments", config.get("WorkingDir").asText());
        assertTrue(config.get("Env").toString().contains("JAVA_HOME=/usr/lib/jvm/java-21-openjdk-"), config.get("Env").toString());
    }

    private static void assertLabels(JsonNode labels, Application application) {
        String prefix = "org.opencontainers.image.";
        assertEquals(VERSION, labels.get(prefix + "version").asText(), "the project version");
        assertEquals(application.title(), labels.get(prefix + "title").asText());
        assertEquals(application.description(), labels.get(prefix + "description").asText());
        assertEquals(Command.output(List.of("git", "-C", REPOSITORY.toString(), "rev-parse", "HEAD")), labels.get(prefix + "revision").asText());
        assertTrue(labels.get(prefix + "source").asText().startsWith("https://"), labels.toString());
        assertFalse(labels.get(prefix + "licenses").asText().isBlank());
        assertEquals(base.reference(), labels.get(prefix + "base.name").asText());
        assertEquals(base.digest(), labels.get(prefix + "base.digest").asText());
        assertFalse(labels.has(prefix + "created"), "reproducible: no build time");
    }

    private static HttpResponse<String> awaitV2(ImageContainer container, int port) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!container.isAlive()) {
                throw new AssertionError("the container exited:\n" + container.logTail());
            }
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException notListeningYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the registry in the image did not answer /v2/ within 120 s:\n" + container.logTail());
    }

    private static JsonNode configOf(ImageBuild.Pushed image) {
        return readJson(Command.output(List.of("skopeo", "inspect", "--config", "--tls-verify=false", "docker://" + image.reference())));
    }

    private static List<String> layersOf(ImageBuild.Pushed image) {
        JsonNode manifest = readJson(Command.output(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + image.reference())));
        return manifest.get("layers").findValuesAsText("digest");
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
