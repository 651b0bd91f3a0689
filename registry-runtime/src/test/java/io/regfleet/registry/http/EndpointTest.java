package io.regfleet.registry.http;

import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void agreesWithTheRegexFormItReplacedOnGeneratedPaths() {
        String[] segments = {"a", "b-c", "manifests", "blobs", "uploads", "tags", "list", "referrers", "_catalog", "x:y",
                D, "", "A", "a\n", "a\r", "\u2028", "\u0085b", "token", "v2"};
        Random random = new Random(20261130);
        Map<Object, Integer> outcomes = new HashMap<>();
        for (int n = 0; n < 300_000; n++) {
            StringBuilder path = new StringBuilder(random.nextInt(10) == 0 ? "/" : "/v2/");
            for (int k = random.nextInt(7); k > 0; k--) {
                path.append(segments[random.nextInt(segments.length)]).append(k > 1 || random.nextBoolean() ? "/" : "");
            }
            String p = path.toString();
            Object expected = outcome(RegexForm::parse, p);
            assertEquals(expected, outcome(Endpoint::parse, p), "path " + p.replace("\n", "\\n"));
            outcomes.merge(expected instanceof Endpoint e ? e.getClass().getSimpleName() : expected, 1, Integer::sum);
        }
        for (Object kind : List.of("Base", "Catalog", "Manifest", "Blob", "UploadStart", "Upload", "TagList", "Referrers",
                "Unknown", ErrorCode.NAME_INVALID)) {
            assertTrue(outcomes.getOrDefault(kind, 0) > 10, "the generated paths hardly reach " + kind + ": " + outcomes);
        }
    }

    /** The endpoint a path parses to, or the error code it is refused with. */
    private static Object outcome(Function<String, Endpoint> parser, String path) {
        try {
            return parser.apply(path);
        } catch (RegistryException e) {
            return e.code();
        }
    }

    /** {@link Endpoint#parse} as it was written with regexes, before it read paths by their slashes. */
    private static final class RegexForm {
        static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
        static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/:]*)");
        static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
        static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
        static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");

        static Endpoint parse(String path) {
            if (path.equals("/v2/") || path.equals("/v2")) {
                return new Endpoint.Base();
            }
            if (path.equals("/v2/_catalog")) {
                return new Endpoint.Catalog();
            }
            if (path.equals(Endpoint.TOKEN_PATH)) {
                return new Endpoint.Token();
            }
            Matcher m;
            if ((m = MANIFEST.matcher(path)).matches()) {
                return new Endpoint.Manifest(new RepositoryName(m.group(1)), m.group(2));
            }
            if ((m = UPLOAD.matcher(path)).matches()) {
                RepositoryName name = new RepositoryName(m.group(1));
                return m.group(2).isEmpty() ? new Endpoint.UploadStart(name) : new Endpoint.Upload(name, m.group(2));
            }
            if ((m = BLOB.matcher(path)).matches()) {
                return new Endpoint.Blob(new RepositoryName(m.group(1)), m.group(2));
            }
            if ((m = TAGS.matcher(path)).matches()) {
                return new Endpoint.TagList(new RepositoryName(m.group(1)));
            }
            if ((m = REFERRERS.matcher(path)).matches()) {
                return new Endpoint.Referrers(new RepositoryName(m.group(1)), m.group(2));
            }
            return new Endpoint.Unknown();
        }
    }
}
