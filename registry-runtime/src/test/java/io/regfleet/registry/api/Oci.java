package io.regfleet.registry.api;

import io.regfleet.registry.oci.Digest;
import io.restassured.response.Response;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** A tiny OCI client over RestAssured for the API tests. */
final class Oci {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar";

    private Oci() {
    }

    static String repo() {
        return "test/" + UUID.randomUUID().toString().substring(0, 8);
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    static String digest(byte[] content) {
        return Digest.sha256Of(content).toString();
    }

    /** Monolithic push: POST ?digest= with the whole body. */
    static String pushBlob(String repo, byte[] content) {
        String digest = digest(content);
        given().contentType("application/octet-stream").body(content)
                .post("/v2/{name}/blobs/uploads/?digest={d}", repo, digest)
                .then().statusCode(201).header("Docker-Content-Digest", equalTo(digest));
        return digest;
    }

    static String startUpload(String repo) {
        return given().post("/v2/{name}/blobs/uploads/", repo).then().statusCode(202).extract().header("Location");
    }

    static String descriptor(String mediaType, byte[] content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest(content) + "\",\"size\":" + content.length + "}";
    }

    /** An image manifest over a pushed config and layers. */
    static byte[] imageManifest(String repo, int layers, String extraFields) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"},\"n\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        pushBlob(repo, config);
        StringBuilder layerList = new StringBuilder();
        for (int i = 0; i < layers; i++) {
            byte[] layer = random(1000 + i);
            pushBlob(repo, layer);
            layerList.append(i == 0 ? "" : ",").append(descriptor(LAYER, layer));
        }
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + descriptor(CONFIG, config)
                + ",\"layers\":[" + layerList + "]" + (extraFields == null ? "" : "," + extraFields) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static Response putManifest(String repo, String reference, String mediaType, byte[] manifest) {
        return given().contentType(mediaType).body(manifest).put("/v2/{name}/manifests/{ref}", repo, reference);
    }

    static String pushImage(String repo, String tag) {
        byte[] manifest = imageManifest(repo, 2, null);
        putManifest(repo, tag, OCI_MANIFEST, manifest).then().statusCode(201);
        return digest(manifest);
    }

    static String errorCode(Response response) {
        List<String> codes = response.jsonPath().getList("errors.code");
        return codes == null || codes.isEmpty() ? null : codes.get(0);
    }
}
