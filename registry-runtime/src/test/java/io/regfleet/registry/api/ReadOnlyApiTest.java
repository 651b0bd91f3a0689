package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.regfleet.registry.PostgresTestResource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@TestProfile(ReadOnlyApiTest.ReadOnly.class)
@QuarkusTestResource(PostgresTestResource.class)
class ReadOnlyApiTest extends ApiTestBase {

    public static class ReadOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("regfleet.read-only", "true");
        }
    }

    @Test
    void readsAreServedAndEveryWriteIsRefused() {
        given().get("/v2/").then().statusCode(200);
        given().get("/v2/some/repo/tags/list").then().statusCode(404);
        String digest = Oci.digest(new byte[]{1});
        given().body(new byte[]{1}).post("/v2/some/repo/blobs/uploads/?digest=" + digest).then().statusCode(405)
                .body("errors[0].code", equalTo("UNSUPPORTED")).body("errors[0].message", containsString("read-only"));
        given().post("/v2/some/repo/blobs/uploads/").then().statusCode(405);
        given().body("{}").put("/v2/some/repo/manifests/latest").then().statusCode(405);
        given().delete("/v2/some/repo/manifests/latest").then().statusCode(405);
        given().delete("/v2/some/repo/blobs/" + digest).then().statusCode(405);
        given().body(new byte[]{1}).patch("/v2/some/repo/blobs/uploads/abc").then().statusCode(405);
    }
}
