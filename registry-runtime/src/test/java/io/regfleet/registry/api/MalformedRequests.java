package io.regfleet.registry.api;

import io.regfleet.registry.http.RawHttp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated malformed requests over every endpoint, by category. Each must be refused with a 4xx and the OCI error
 * body, and change nothing. Deterministic (a fixed seed), so a failure names a request that can be replayed.
 *
 * @param repo         a repository that exists, with tag {@code tag} on manifest {@code manifestDigest}
 * @param blobDigest   a blob pushed to it
 * @param uploadPath   an open upload session's path in it (at 0 bytes)
 */
record MalformedRequests(String repo, String tag, String manifestDigest, String blobDigest, String uploadPath) {

    record Request(String category, String description, byte[] bytes) {
    }

    private static final String[] BAD_NAMES = {"UPPER/case", "a//b", "-lead", "trail-", "a/../b", "..", ".", "a/./b",
            "%2e%2e/x", "a%2Fb", "caf%C3%A9", "a__b__", "a..b", "x/" + "y".repeat(260), "a/-b", "a_", "_a", "a b"};
    private static final String[] BAD_DIGESTS = {"sha256:", "sha256:abc", "sha256:" + "A".repeat(64), "sha256:" + "g".repeat(64),
            "md5:" + "a".repeat(32), "sha256" + "a".repeat(64), ":" + "a".repeat(64), "sha512:" + "a".repeat(64),
            "sha256:" + "a".repeat(65), "SHA256:" + "a".repeat(64), "sha256:" + "a".repeat(63) + "%00", "sha256::" + "a".repeat(64)};
    private static final String[] BAD_TAGS = {"-tag", ".tag", "t" + "a".repeat(128), "t%20ag", "t@g", "t/ag", "t:ag:x", "%00"};

    List<Request> all() {
        List<Request> all = new ArrayList<>();
        badNames(all);
        badDigests(all);
        badReferences(all);
        badManifests(all);
        badRanges(all);
        badQueries(all);
        badMethods(all);
        badHttp(all);
        return all;
    }

    private void badNames(List<Request> out) {
        for (String name : BAD_NAMES) {
            String n = name.replace(" ", "%20");
            for (String path : new String[]{"/manifests/" + tag, "/blobs/" + blobDigest, "/blobs/uploads/", "/tags/list",
                    "/referrers/" + manifestDigest}) {
                String method = path.endsWith("uploads/") ? "POST" : "GET";
                out.add(plain("name", method, "/v2/" + n + path));
            }
            out.add(put("name", "/v2/" + n + "/manifests/" + tag, "application/vnd.oci.image.manifest.v1+json", "{}".getBytes()));
        }
    }

    private void badDigests(List<Request> out) {
        for (String d : BAD_DIGESTS) {
            out.add(plain("digest", "GET", "/v2/" + repo + "/blobs/" + d));
            out.add(plain("digest", "HEAD", "/v2/" + repo + "/blobs/" + d));
            out.add(plain("digest", "DELETE", "/v2/" + repo + "/blobs/" + d));
            out.add(plain("digest", "GET", "/v2/" + repo + "/referrers/" + d));
            out.add(put("digest", "/v2/" + repo + "/manifests/" + d, "application/vnd.oci.image.manifest.v1+json", "{}".getBytes()));
            out.add(put("digest", uploadPath + "?digest=" + d, "application/octet-stream", new byte[0]));
            out.add(put("digest", "/v2/" + repo + "/blobs/uploads/?digest=" + d, "application/octet-stream", "x".getBytes(), "POST"));
        }
    }

    private void badReferences(List<Request> out) {
        for (String t : BAD_TAGS) {
            out.add(plain("reference", "GET", "/v2/" + repo + "/manifests/" + t));
            out.add(plain("reference", "HEAD", "/v2/" + repo + "/manifests/" + t));
            out.add(plain("reference", "DELETE", "/v2/" + repo + "/manifests/" + t));
            out.add(put("reference", "/v2/" + repo + "/manifests/" + t, "application/vnd.oci.image.manifest.v1+json",
                    validManifest().getBytes(StandardCharsets.UTF_8)));
        }
        for (String unknown : new String[]{"no-such-tag", "sha256:" + "0".repeat(64)}) {
            out.add(plain("reference", "GET", "/v2/" + repo + "/manifests/" + unknown));
            out.add(plain("reference", "DELETE", "/v2/" + repo + "/manifests/" + unknown));
            out.add(plain("reference", "GET", "/v2/" + repo + "/blobs/sha256:" + "0".repeat(64)));
        }
    }

    /** Manifests that must not be stored: broken JSON, wrong shape, unknown or mis-sized references. */
    private void badManifests(List<Request> out) {
        String valid = validManifest();
        Random random = new Random(20261129);
        List<String> bodies = new ArrayList<>(List.of("", " ", "null", "[]", "1", "\"x\"", "{", "}", "{}",
                valid + "garbage{", valid + valid, "\uFEFF" + valid, valid.replace("\"schemaVersion\":2", "\"schemaVersion\":1"),
                valid.replace("\"schemaVersion\":2", "\"schemaVersion\":\"2\""), valid.replace("\"layers\":[", "\"layers\":{\"x\":[") + "}",
                valid.replace(blobDigest, "sha256:" + "0".repeat(64)), valid.replace("\"size\":" + 3, "\"size\":1"),
                valid.replace("\"size\":" + 3, "\"size\":-3"), valid.replace("\"size\":" + 3, "\"size\":3.5"),
                valid.replace("\"size\":" + 3, "\"size\":\"3\""), valid.replace("{\"schemaVersion\":2,", "{\"schemaVersion\":2,\"schemaVersion\":2,"),
                "[".repeat(100) + "]".repeat(100), "{\"a\":".repeat(100) + "1" + "}".repeat(100)));
        for (int i = 0; i < 150; i++) { // truncations of a minified object are never a whole object
            bodies.add(valid.substring(0, 1 + random.nextInt(valid.length() - 2)));
        }
        for (int i = 0; i < 40; i++) {
            bodies.add(valid + (char) ('!' + random.nextInt(90)));
        }
        for (String body : bodies) {
            out.add(put("manifest", "/v2/" + repo + "/manifests/" + tag, "application/vnd.oci.image.manifest.v1+json",
                    body.getBytes(StandardCharsets.UTF_8)));
        }
        for (String type : new String[]{"application/vnd.oci.image.index.v1+json", "text/plain", "application/x-unknown"}) {
            out.add(put("manifest", "/v2/" + repo + "/manifests/" + tag, type, valid.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void badRanges(List<Request> out) {
        for (String range : new String[]{"1024-2047", "1-0", "abc", "0-", "-1", "5-10", "0-99999999999999999999", "bytes=0-1"}) {
            out.add(new Request("range", "PATCH " + uploadPath + " Content-Range " + range, RawHttp.request(
                    "PATCH " + uploadPath + " HTTP/1.1\nHost: r\nConnection: close\nContent-Type: application/octet-stream\n"
                            + "Content-Range: " + range + "\nContent-Length: 4\n", "abcd".getBytes())));
        }
        for (String range : new String[]{"bytes=9999-", "bytes=-0", "bytes=100-200"}) {
            out.add(new Request("range", "GET blob Range " + range, RawHttp.request(
                    "GET /v2/" + repo + "/blobs/" + blobDigest + " HTTP/1.1\nHost: r\nConnection: close\nRange: " + range + "\n", new byte[0])));
        }
        for (String session : new String[]{"no-such-session", "../x", "a".repeat(100), "%00"}) {
            String path = "/v2/" + repo + "/blobs/uploads/" + session;
            out.add(plain("range", "GET", path));
            out.add(put("range", path + "?digest=" + blobDigest, "application/octet-stream", new byte[0]));
            out.add(put("range", path, "application/octet-stream", "x".getBytes(), "PATCH"));
            out.add(plain("range", "DELETE", path));
        }
    }

    private void badQueries(List<Request> out) {
        for (String query : new String[]{"n=-1", "n=abc", "n=99999999999", "n=1.5", "last=%00", "n=%00", "last=%zz", "n=1&last=%ff%fe"}) {
            out.add(plain("query", "GET", "/v2/_catalog?" + query));
            out.add(plain("query", "GET", "/v2/" + repo + "/tags/list?" + query));
        }
        out.add(plain("query", "GET", "/v2/" + repo + "/referrers/" + manifestDigest + "?artifactType=%00"));
        out.add(plain("query", "GET", "/v2/" + repo + "/referrers/" + manifestDigest + "?artifactType=%zz"));
    }

    private void badMethods(List<Request> out) {
        String[][] cases = {{"PUT", "/v2/" + repo + "/blobs/" + blobDigest}, {"POST", "/v2/" + repo + "/manifests/" + tag},
                {"PATCH", "/v2/" + repo + "/manifests/" + tag}, {"DELETE", "/v2/_catalog"}, {"POST", "/v2/_catalog"},
                {"PUT", "/v2/" + repo + "/tags/list"}, {"DELETE", "/v2/" + repo + "/tags/list"},
                {"POST", "/v2/" + repo + "/referrers/" + manifestDigest}, {"GET", "/v2/" + repo + "/blobs/uploads/"},
                {"PUT", "/v2/"}, {"DELETE", "/v2/"}, {"FOO", "/v2/"}, {"OPTIONS", "/v2/" + repo + "/manifests/" + tag},
                {"GET", "/v2/" + repo}, {"GET", "/v2/" + repo + "/unknown/x"}, {"GET", "/v3/"}, {"GET", "/"},
                {"GET", "/q/health"}, {"GET", "/v2/" + repo + "/manifests/"}, {"GET", "/v2//manifests/" + tag}};
        for (String[] c : cases) {
            out.add(plain("method", c[0], c[1]));
        }
    }

    private void badHttp(List<Request> out) {
        String[] heads = {"GET /v2/a b/manifests/x HTTP/1.1\nHost: r\n", "GET /v2/caf\u00e9/tags/list HTTP/1.1\nHost: r\n",
                "GET /v2/a\\b/tags/list HTTP/1.1\nHost: r\n", "GET /v2/_catalog?last=" + "a".repeat(10_000) + " HTTP/1.1\nHost: r\n",
                "GET /v2/ HTTP/1.1\nHost: r\nX-Big: " + "a".repeat(100_000) + "\n",
                "GET\n", "GET /v2/ HTTP/1.1\nBad Header Line\n", "\u0001\u0002 / HTTP/1.1\n"};
        for (String head : heads) {
            out.add(new Request("http", head.length() > 60 ? head.substring(0, 60) + "..." : head, RawHttp.request(head, new byte[0])));
        }
    }

    private String validManifest() {
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + blobDigest + "\",\"size\":3},\"layers\":[]}";
    }

    private static Request plain(String category, String method, String path) {
        return new Request(category, method + " " + path, RawHttp.request(
                method + " " + path + " HTTP/1.1\nHost: r\nConnection: close\n", new byte[0]));
    }

    private static Request put(String category, String path, String contentType, byte[] body) {
        return put(category, path, contentType, body, "PUT");
    }

    private static Request put(String category, String path, String contentType, byte[] body, String method) {
        return new Request(category, method + " " + path + " (" + body.length + " bytes)", RawHttp.request(method + " " + path
                + " HTTP/1.1\nHost: r\nConnection: close\nContent-Type: " + contentType + "\nContent-Length: " + body.length + "\n", body));
    }
}
