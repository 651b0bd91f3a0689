package io.regfleet.registry.http;

import io.regfleet.registry.oci.RepositoryName;

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

    /**
     * Parses a raw request path. A name in a known endpoint shape that breaks the name grammar is NAME_INVALID.
     * Repository names may contain {@code /manifests/} and friends: the last path segment is the reference, digest or
     * session, and the endpoint word right before it decides; everything between {@code /v2/} and that word is the name.
     * This runs for every request, on the event loop, so it reads the path by its slashes instead of with regexes
     * ({@code EndpointTest} holds the regex form it replaces and checks the two agree).
     */
    static Endpoint parse(String path) {
        if (path == null) {
            return new Unknown();
        }
        switch (path) {
            case "/v2/", "/v2" -> {
                return new Base();
            }
            case "/v2/_catalog" -> {
                return new Catalog();
            }
            case TOKEN_PATH -> {
                return new Token();
            }
            default -> {
            }
        }
        if (!path.startsWith("/v2/")) {
            return new Unknown();
        }
        int lastSlash = path.lastIndexOf('/');
        String head = path.substring(0, lastSlash);
        String last = path.substring(lastSlash + 1);
        String name;
        if (!last.isEmpty() && (name = nameBefore(head, "/manifests")) != null) {
            return new Manifest(new RepositoryName(name), last);
        }
        if (last.indexOf(':') < 0 && (name = nameBefore(head, "/blobs/uploads")) != null) {
            RepositoryName repository = new RepositoryName(name);
            return last.isEmpty() ? new UploadStart(repository) : new Upload(repository, last);
        }
        if (!last.isEmpty() && (name = nameBefore(head, "/blobs")) != null) {
            return new Blob(new RepositoryName(name), last);
        }
        if (last.equals("list") && (name = nameBefore(head, "/tags")) != null) {
            return new TagList(new RepositoryName(name));
        }
        if (!last.isEmpty() && (name = nameBefore(head, "/referrers")) != null) {
            return new Referrers(new RepositoryName(name), last);
        }
        return new Unknown();
    }

    /**
     * The name in {@code head} = {@code /v2/<name><word>}, or null: the name is not empty and has no line terminator
     * (the regex form's {@code .} never matched one; such a path names no endpoint).
     */
    private static String nameBefore(String head, String word) {
        int prefix = "/v2/".length();
        if (head.length() <= prefix + word.length() || !head.endsWith(word)) {
            return null;
        }
        String name = head.substring(prefix, head.length() - word.length());
        for (int i = 0; i < name.length(); i++) {
            switch (name.charAt(i)) {
                case '\n', '\r', '\u0085', '\u2028', '\u2029' -> {
                    return null;
                }
                default -> {
                }
            }
        }
        return name;
    }
}
