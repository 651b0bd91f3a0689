package io.regfleet.registry.api;

import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;

/** Paths go out as written: repository names contain slashes, which RestAssured would otherwise encode as %2F. */
abstract class ApiTestBase {
    @BeforeAll
    static void rawPaths() {
        RestAssured.urlEncodingEnabled = false;
    }
}
