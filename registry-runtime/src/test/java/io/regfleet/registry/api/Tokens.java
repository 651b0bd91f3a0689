package io.regfleet.registry.api;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;

/** Tokens from the registry's token endpoint, as a client gets them, and requests made with one. */
final class Tokens {
    private Tokens() {
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** GET /token with Basic credentials and the scopes; the token (200 expected). */
    static String of(String user, String password, String... scopes) {
        return request(given().header("Authorization", basic(user, password)), scopes);
    }

    /** GET /token without credentials. */
    static String anonymous(String... scopes) {
        return request(given(), scopes);
    }

    private static String request(RequestSpecification spec, String... scopes) {
        spec = spec.queryParam("service", AuthFixture.SERVICE);
        for (String scope : scopes) {
            spec = spec.queryParam("scope", scope);
        }
        return spec.get("/token").then().statusCode(200).extract().path("token");
    }

    /** Runs {@code action} with every request carrying {@code Authorization: Bearer <token>}. */
    static <T> T as(String token, Supplier<T> action) {
        RequestSpecification previous = RestAssured.requestSpecification;
        RestAssured.requestSpecification = new RequestSpecBuilder().addHeader("Authorization", "Bearer " + token).build();
        try {
            return action.get();
        } finally {
            RestAssured.requestSpecification = previous;
        }
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }
}
