package io.regfleet.e2e;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.RegistryProcess;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Registry processes on one PostgreSQL and one blob folder, and a pushed image to pull. */
public final class Fleets {
    public static final String REPO = "e2e/load";

    private Fleets() {
    }

    /** A temporary PostgreSQL (max_connections 30) holding the registry's database, {@code regfleet}. */
    static EmbeddedPostgresServer database() {
        return EmbeddedPostgresServer.temporary(Map.of("max_connections", "30")).start().createDatabase("regfleet");
    }

    static RegistryProcess replica(EmbeddedPostgresServer postgres, Path blobs, String registry, String pod,
                                   Map<String, String> settings) {
        return RegistryProcess.builder()
                .property("quarkus.datasource.jdbc.url", postgres.jdbcUrl("regfleet"))
                .property("quarkus.datasource.username", "postgres")
                .property("quarkus.datasource.password", "postgres")
                .property("regfleet.storage.filesystem.root", blobs)
                .property("regfleet.registry-name", registry)
                .property("regfleet.pod-name", pod)
                .property("quarkus.log.level", "WARN")
                .properties(settings)
                .build();
    }

    /** Stops registries and databases in the order given, skipping those a failed start left null. */
    static void closeAll(AutoCloseable... parts) throws Exception {
        for (AutoCloseable part : parts) {
            if (part != null) {
                part.close();
            }
        }
    }

    /** Pushes a small image tagged v1 and returns the manifest URL path. */
    /**
     * A read that always reaches the database (the repository's tag list): load for the tests about connections, since
     * the metadata cache answers manifest reads from memory.
     */
    public static final String DATABASE_READ = "/v2/" + REPO + "/tags/list";

    public static String pushImage(String baseUrl) {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes();
        String configDigest = Http.sha256(config);
        assertEquals(201, Http.send("POST", baseUrl + "/v2/" + REPO + "/blobs/uploads/?digest=" + configDigest, config,
                "Content-Type", "application/octet-stream").statusCode());
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes();
        HttpResponse<byte[]> put = Http.send("PUT", baseUrl + "/v2/" + REPO + "/manifests/v1", manifest,
                "Content-Type", "application/vnd.oci.image.manifest.v1+json");
        assertEquals(201, put.statusCode());
        return "/v2/" + REPO + "/manifests/v1";
    }
}
