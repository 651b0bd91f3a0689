package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.regfleet.registry.PostgresTestResource;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.regfleet.registry.api.Oci.OCI_MANIFEST;
import static io.regfleet.registry.api.Oci.digest;
import static io.regfleet.registry.api.Oci.repo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class DiscoveryApiTest extends ApiTestBase {

    @Test
    void tagListIsLexicalAndPaginatesWithLinkHeaders() {
        String repo = repo();
        byte[] manifest = Oci.imageManifest(repo, 1, null);
        List<String> tags = List.of("b", "A", "a", "10", "9", "latest", "v1.0", "v1.0-rc");
        for (String tag : tags) {
            Oci.putManifest(repo, tag, OCI_MANIFEST, manifest).then().statusCode(201);
        }
        List<String> sorted = new ArrayList<>(tags);
        sorted.sort(null); // byte order
        given().get("/v2/{n}/tags/list", repo).then().statusCode(200).body("name", equalTo(repo))
                .body("tags", equalTo(sorted)).header("Link", nullValue());

        List<String> walked = new ArrayList<>();
        String next = "/v2/" + repo + "/tags/list?n=3";
        while (next != null) {
            Response page = given().urlEncodingEnabled(false).get(next);
            assertEquals(200, page.statusCode());
            List<String> entries = page.jsonPath().getList("tags");
            org.junit.jupiter.api.Assertions.assertTrue(entries.size() <= 3);
            walked.addAll(entries);
            String link = page.header("Link");
            next = link == null ? null : link.substring(1, link.indexOf('>'));
        }
        assertEquals(sorted, walked);
        given().get("/v2/{n}/tags/list?n=2&last=a", repo).then().body("tags", equalTo(List.of("b", "latest")));
        given().get("/v2/{n}/tags/list?n=0", repo).then().statusCode(200).body("tags", empty());
        given().get("/v2/{n}/tags/list?last=v1.0-rc", repo).then().body("tags", empty());
    }

    @Test
    void tagListErrors() {
        given().get("/v2/{n}/tags/list", "no/such/repo").then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
        String repo = repo();
        Oci.pushImage(repo, "x");
        given().get("/v2/{n}/tags/list?n=-1", repo).then().statusCode(400);
        given().get("/v2/{n}/tags/list?n=abc", repo).then().statusCode(400);
    }

    @Test
    void catalogPaginates() {
        String prefix = "catalog/" + java.util.UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 3; i++) {
            Oci.pushBlob(prefix + "/r" + i, Oci.random(10));
        }
        Response first = given().get("/v2/_catalog?n=2&last={l}", prefix + "/");
        first.then().statusCode(200).body("repositories", equalTo(List.of(prefix + "/r0", prefix + "/r1")));
        String link = first.header("Link");
        org.junit.jupiter.api.Assertions.assertNotNull(link);
        String next = link.substring(1, link.indexOf('>'));
        given().urlEncodingEnabled(false).get(next).then().statusCode(200)
                .body("repositories[0]", equalTo(prefix + "/r2"));
    }

    @Test
    void referrersWithAndWithoutArtifactTypeFilter() {
        String repo = repo();
        String subject = Oci.pushImage(repo, "app");
        int subjectSize = given().get("/v2/{n}/manifests/app", repo).asByteArray().length;
        String subjectField = "\"subject\":{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + subject + "\",\"size\":" + subjectSize + "}";
        byte[] sbom = Oci.imageManifest(repo, 1, "\"artifactType\":\"application/vnd.example.sbom\",\"annotations\":{\"org.example\":\"yes\"}," + subjectField);
        byte[] sig = Oci.imageManifest(repo, 1, "\"artifactType\":\"application/vnd.example.signature\"," + subjectField);
        Oci.putManifest(repo, digest(sbom), OCI_MANIFEST, sbom).then().statusCode(201);
        Oci.putManifest(repo, digest(sig), OCI_MANIFEST, sig).then().statusCode(201);

        Response all = given().get("/v2/{n}/referrers/{d}", repo, subject);
        all.then().statusCode(200).contentType(Oci.OCI_INDEX).body("schemaVersion", equalTo(2))
                .body("mediaType", equalTo(Oci.OCI_INDEX)).body("manifests.size()", equalTo(2));
        assertNull(all.header("OCI-Filters-Applied"));

        given().get("/v2/{n}/referrers/{d}?artifactType=application/vnd.example.sbom", repo, subject)
                .then().statusCode(200).header("OCI-Filters-Applied", "artifactType")
                .body("manifests.size()", equalTo(1))
                .body("manifests[0].digest", equalTo(digest(sbom)))
                .body("manifests[0].artifactType", equalTo("application/vnd.example.sbom"))
                .body("manifests[0].size", equalTo(sbom.length))
                .body("manifests[0].annotations.'org.example'", equalTo("yes"));

        // no referrers (an unknown subject): an empty index, not a 404
        given().get("/v2/{n}/referrers/{d}", repo, digest("nothing".getBytes())).then().statusCode(200)
                .body("manifests", empty());
        given().get("/v2/{n}/referrers/{d}", repo, "sha256:nope").then().statusCode(400);
    }
}
