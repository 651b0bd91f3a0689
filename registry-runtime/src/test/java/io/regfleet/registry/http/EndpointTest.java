package io.regfleet.registry.http;

import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EndpointTest {
    private static final String D = "sha256:" + "a".repeat(64);

    @Test
    void parsesEveryEndpoint() {
        assertInstanceOf(Endpoint.Base.class, Endpoint.parse("/v2/"));
        assertInstanceOf(Endpoint.Base.class, Endpoint.parse("/v2"));
        assertInstanceOf(Endpoint.Catalog.class, Endpoint.parse("/v2/_catalog"));
        assertEquals(new Endpoint.Manifest(new RepositoryName("a/b"), "latest"), Endpoint.parse("/v2/a/b/manifests/latest"));
        assertEquals(new Endpoint.Blob(new RepositoryName("a"), D), Endpoint.parse("/v2/a/blobs/" + D));
        assertEquals(new Endpoint.UploadStart(new RepositoryName("a")), Endpoint.parse("/v2/a/blobs/uploads/"));
        assertEquals(new Endpoint.Upload(new RepositoryName("a"), "abc-1"), Endpoint.parse("/v2/a/blobs/uploads/abc-1"));
        assertEquals(new Endpoint.TagList(new RepositoryName("a/b/c")), Endpoint.parse("/v2/a/b/c/tags/list"));
        assertEquals(new Endpoint.Referrers(new RepositoryName("a"), D), Endpoint.parse("/v2/a/referrers/" + D));
        assertInstanceOf(Endpoint.Unknown.class, Endpoint.parse("/v2/a/unknown/thing"));
    }

    @Test
    void namesMayContainEndpointWords() {
        assertEquals(new Endpoint.Manifest(new RepositoryName("x/manifests"), "v1"), Endpoint.parse("/v2/x/manifests/manifests/v1"));
        assertEquals(new Endpoint.Blob(new RepositoryName("x/blobs/uploads"), D), Endpoint.parse("/v2/x/blobs/uploads/blobs/" + D));
        assertEquals(new Endpoint.TagList(new RepositoryName("tags/list")), Endpoint.parse("/v2/tags/list/tags/list"));
    }

    @Test
    void invalidNamesAreNameInvalid() {
        for (String path : new String[]{"/v2/A/manifests/x", "/v2/a//b/manifests/x", "/v2/-a/tags/list", "/v2/a_/blobs/" + D,
                "/v2/" + "a".repeat(256) + "/tags/list"}) {
            RegistryException e = assertThrows(RegistryException.class, () -> Endpoint.parse(path), path);
            assertEquals("NAME_INVALID", e.code().name());
        }
    }
}
