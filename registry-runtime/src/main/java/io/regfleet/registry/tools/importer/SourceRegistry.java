package io.regfleet.registry.tools.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.MediaTypes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another registry, read through the distribution API: the catalog, tag lists (following {@code Link} pages on the
 * same origin only), manifests of every type this registry stores, blobs as streams, and the referrers API. What it
 * answers is not trusted: lists and manifests are read up to a cap, and the caller checks every digest.
 *
 * @param base        the source's base URL; requests go to its origin, credentials never elsewhere
 * @param maxManifest the largest manifest read (this registry's own limit)
 */
record SourceRegistry(URI base, SourceHttp http, SourceAuth auth, int pageSize, int maxManifest) {
    static final String ACCEPT = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int MAX_LIST = 16 << 20;
    private static final int MAX_REDIRECTS = 5;
    private static final String CATALOG_SCOPE = "registry:catalog:*";

    /** A manifest as the source served it, with the digest of its bytes. */
    record SourceManifest(byte[] content, String mediaType, Digest digest, String declaredDigest) {
    }

    /** A blob's bytes as they stream from the source; the caller closes it. */
    record SourceBlob(InputStream stream, long length) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    /** One entry of a referrers list. */
    record Referrer(Digest digest, String mediaType) {
    }

    /** Scheme, host and port: what reports name (never credentials). */
    String origin() {
        return base.getScheme() + "://" + base.getAuthority().replaceFirst("^.*@", "");
    }

    /** Every repository of the catalog, page after page. */
    List<String> repositories() {
        return list("/v2/_catalog?n=" + pageSize, CATALOG_SCOPE, "repositories");
    }

    /** Every tag of the repository, page after page; none when it has none. */
    List<String> tags(String repository) {
        return list("/v2/" + repository + "/tags/list?n=" + pageSize, scope(repository), "tags");
    }

    /** The manifest a tag or digest names. */
    SourceManifest manifest(String repository, String reference) {
        HttpResponse<InputStream> response = send("/v2/" + repository + "/manifests/" + reference, scope(repository),
                ACCEPT);
        byte[] content = read(response, maxManifest, "manifest " + reference);
        String mediaType = MediaTypes.strip(response.headers().firstValue("Content-Type").orElse(null));
        return new SourceManifest(content, mediaType, Digest.sha256Of(content),
                response.headers().firstValue("Docker-Content-Digest").orElse(null));
    }

    SourceBlob blob(String repository, Digest digest) {
        HttpResponse<InputStream> response = send("/v2/" + repository + "/blobs/" + digest, scope(repository), "*/*");
        return new SourceBlob(response.body(), response.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /** The manifests whose subject is {@code subject}; empty when the source has no referrers API. */
    Optional<List<Referrer>> referrers(String repository, Digest subject) {
        HttpResponse<InputStream> response;
        try {
            response = send("/v2/" + repository + "/referrers/" + subject, scope(repository), MediaTypes.OCI_INDEX);
        } catch (SourceException e) {
            if (e.status() == 404 || e.status() == 405) {
                return Optional.empty();
            }
            throw e;
        }
        JsonNode index = parse(read(response, MAX_LIST, "referrers of " + subject), "referrers of " + subject);
        List<Referrer> referrers = new ArrayList<>();
        for (JsonNode entry : index.path("manifests")) {
            referrers.add(new Referrer(Digest.parse(entry.path("digest").asText()), entry.path("mediaType").asText()));
        }
        return Optional.of(referrers);
    }

    private List<String> list(String first, String scope, String field) {
        List<String> entries = new ArrayList<>();
        String next = first;
        while (next != null) {
            HttpResponse<InputStream> response = send(next, scope, "application/json");
            JsonNode body = parse(read(response, MAX_LIST, next), next);
            for (JsonNode entry : body.path(field)) {
                entries.add(entry.asText());
            }
            next = response.headers().firstValue("Link").map(this::nextPage).orElse(null);
        }
        return entries;
    }

    /** The next page's path, when the Link header names one on this origin (never anywhere else). */
    private String nextPage(String link) {
        Matcher m = NEXT.matcher(link);
        if (!m.find()) {
            return null;
        }
        URI next = base.resolve(m.group(1));
        if (!sameOrigin(next, base)) {
            throw new SourceException("the source's next page is on another host; not followed", 0);
        }
        return next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
    }

    private static String scope(String repository) {
        return "repository:" + repository + ":pull";
    }

    /**
     * GET with the scope's credentials; a 401 is answered once with the challenge's credentials; redirects are
     * followed by hand, credentials only to the same origin (a blob store's signed URL must not get them).
     */
    private HttpResponse<InputStream> send(String pathAndQuery, String scope, String accept) {
        URI uri = base.resolve(pathAndQuery);
        Optional<String> authorization = auth.header(scope);
        boolean challenged = false;
        for (int hops = 0; hops <= MAX_REDIRECTS; ) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(http.timeout()).header("Accept", accept).GET();
            if (sameOrigin(uri, base)) {
                authorization.ifPresent(a -> request.header("Authorization", a));
            }
            HttpResponse<InputStream> response = exchange(request.build());
            int status = response.statusCode();
            if (status == 401 && !challenged) {
                discard(response);
                challenged = true;
                authorization = auth.answer(response.headers().firstValue("WWW-Authenticate").orElse(null), scope);
                if (authorization.isEmpty()) {
                    throw new SourceException("the source refused access (401) and no credentials answer it", 401);
                }
                continue;
            }
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                discard(response);
                uri = uri.resolve(response.headers().firstValue("Location").get());
                hops++;
                continue;
            }
            if (status != 200) {
                discard(response);
                throw new SourceException("GET " + uri.getRawPath() + " answered " + status, status);
            }
            return response;
        }
        throw new SourceException("too many redirects from " + pathAndQuery, 0);
    }

    private HttpResponse<InputStream> exchange(HttpRequest request) {
        try {
            return http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new SourceException("no answer from the source for " + request.uri().getRawPath() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted", e);
        }
    }

    private static byte[] read(HttpResponse<InputStream> response, int cap, String what) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(cap + 1);
            if (bytes.length > cap) {
                throw new SourceException(what + " is larger than " + cap + " bytes", response.statusCode());
            }
            return bytes;
        } catch (IOException e) {
            throw new SourceException("reading " + what + " failed: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(byte[] body, String what) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new SourceException(what + " is not JSON", 200);
        }
    }

    private static void discard(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.skip(1 << 16);
        } catch (IOException ignored) {
            // the connection is dropped instead of reused
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && a.getPort() == b.getPort();
    }
}
