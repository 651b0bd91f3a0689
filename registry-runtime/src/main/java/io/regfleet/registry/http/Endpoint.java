package io.regfleet.registry.http;

import io.regfleet.registry.oci.RepositoryName;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The API endpoint a request path names, with its route template (the metrics label; never the raw path). */
public sealed interface Endpoint {
    /** The route template: the metrics label, never the raw path (whose names and digests are unbounded). */
    default String template() {
        return switch (this) {
            case Base ignored -> "/v2/";
            case Catalog ignored -> "/v2/_catalog";
            case Manifest ignored -> "/v2/{name}/manifests/{reference}";
            case Blob ignored -> "/v2/{name}/blobs/{digest}";
            case UploadStart ignored -> "/v2/{name}/blobs/uploads/";
            case Upload ignored -> "/v2/{name}/blobs/uploads/{session}";
            case TagList ignored -> "/v2/{name}/tags/list";
            case Referrers ignored -> "/v2/{name}/referrers/{digest}";
            case Token ignored -> TOKEN_PATH;
            case Unknown ignored -> "unknown";
        };
    }

    /** {@code /v2/}: the API version check. */
    record Base() implements Endpoint {
    }

    /** The repositories a caller may list. */
    record Catalog() implements Endpoint {
    }

    /** A manifest by tag or digest. */
    record Manifest(RepositoryName name, String reference) implements Endpoint {
    }

    /** A blob by digest. */
    record Blob(RepositoryName name, String digest) implements Endpoint {
    }

    /** Opening an upload session (or a cross-repository mount, or a monolithic push). */
    record UploadStart(RepositoryName name) implements Endpoint {
    }

    /** An open upload session. */
    record Upload(RepositoryName name, String id) implements Endpoint {
    }

    /** A repository's tags, in pages. */
    record TagList(RepositoryName name) implements Endpoint {
    }

    /** The manifests whose subject is a digest. */
    record Referrers(RepositoryName name, String digest) implements Endpoint {
    }

    /** The token endpoint of access control (outside {@code /v2/}, so no repository can shadow it). */
    record Token() implements Endpoint {
    }

    /** A path that names no endpoint. */
    record Unknown() implements Endpoint {
    }

    String TOKEN_PATH = "/token";
    Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/:]*)");
    Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
    Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");

    /**
     * Parses a raw request path. A name in a known endpoint shape that breaks the name grammar is NAME_INVALID.
     * Repository names may contain {@code /manifests/} and friends; the greedy name with a slash-free tail resolves it.
     */
    static Endpoint parse(String path) {
        if (path == null) {
            return new Unknown();
        }
        if (path.equals("/v2/") || path.equals("/v2")) {
            return new Base();
        }
        if (path.equals("/v2/_catalog")) {
            return new Catalog();
        }
        if (path.equals(TOKEN_PATH)) {
            return new Token();
        }
        Matcher m;
        if ((m = MANIFEST.matcher(path)).matches()) {
            return new Manifest(new RepositoryName(m.group(1)), m.group(2));
        }
        if ((m = UPLOAD.matcher(path)).matches()) {
            RepositoryName name = new RepositoryName(m.group(1));
            return m.group(2).isEmpty() ? new UploadStart(name) : new Upload(name, m.group(2));
        }
        if ((m = BLOB.matcher(path)).matches()) {
            return new Blob(new RepositoryName(m.group(1)), m.group(2));
        }
        if ((m = TAGS.matcher(path)).matches()) {
            return new TagList(new RepositoryName(m.group(1)));
        }
        if ((m = REFERRERS.matcher(path)).matches()) {
            return new Referrers(new RepositoryName(m.group(1)), m.group(2));
        }
        return new Unknown();
    }
}
