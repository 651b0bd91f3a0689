package io.regfleet.registry.api;

import io.quarkus.arc.Arc;
import io.regfleet.registry.http.ApiServer;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Paths go out as written: repository names contain slashes, which RestAssured would otherwise encode as %2F. */
abstract class ApiTestBase {
    @BeforeAll
    static void rawPaths() {
        RestAssured.urlEncodingEnabled = false;
    }

    /** The API listens on a port of its own (chosen at start in tests). */
    @BeforeEach
    void apiPort() {
        RestAssured.port = apiPort0();
    }

    static int apiPort0() {
        return Arc.container().instance(ApiServer.class).get().port();
    }
}
