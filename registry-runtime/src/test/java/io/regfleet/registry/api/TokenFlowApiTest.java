package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.config.PemKeys;
import io.regfleet.registry.http.RawHttp;
import io.restassured.response.Response;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.regfleet.registry.api.Tokens.basic;
import static io.regfleet.registry.api.Tokens.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Docker/OCI token flow as clients speak it: the challenge, the token endpoint, tokens that must not pass. */
@QuarkusTest
@TestProfile(AuthFixture.On.class)
@QuarkusTestResource(PostgresTestResource.class)
class TokenFlowApiTest extends ApiTestBase {

    /** The token endpoint at the address the client used (RestAssured sends Host: localhost:port). */
    private String realm() {
        return "http://localhost:" + apiPort0() + "/token";
    }

    private String challenge(String scope, String error) {
        return "Bearer realm=\"" + realm() + "\",service=\"" + AuthFixture.SERVICE + "\""
                + (scope == null ? "" : ",scope=\"" + scope + "\"") + (error == null ? "" : ",error=\"" + error + "\"");
    }

    /** 401 UNAUTHORIZED with exactly this challenge, and an OCI error body of the length declared. */
    private void assertChallenged(Response response, String scope, String error) {
        response.then().statusCode(401).header("WWW-Authenticate", challenge(scope, error))
                .header("Docker-Distribution-API-Version", "registry/2.0");
        byte[] body = response.asByteArray();
        assertTrue(body.length > 0);
        assertEquals(String.valueOf(body.length), response.getHeader("Content-Length"));
    }

    @Test
    void anonymousCallersAreChallengedWithTheScopeTheyNeed() {
        Response base = given().get("/v2/");
        assertChallenged(base, null, null);
        base.then().body("errors[0].code", equalTo("UNAUTHORIZED"));

        assertChallenged(given().get("/v2/team/app/manifests/latest"), "repository:team/app:pull", null);
        assertChallenged(given().get("/v2/team/app/tags/list"), "repository:team/app:pull", null);
        assertChallenged(given().get("/v2/team/app/referrers/" + Oci.digest(new byte[]{1})), "repository:team/app:pull", null);
        assertChallenged(given().post("/v2/team/app/blobs/uploads/"), "repository:team/app:pull,push", null);
        assertChallenged(given().body("{}").put("/v2/team/app/manifests/v1"), "repository:team/app:pull,push", null);
        assertChallenged(given().delete("/v2/team/app/manifests/v1"), "repository:team/app:delete", null);
        // (nobody may list the catalog here, filtered to public/**: AccessRulesApiTest); a token without its scope
        assertChallenged(given().header("Authorization", bearer(Tokens.of("reader", "reader-pw"))).get("/v2/_catalog"),
                "registry:catalog:*", "insufficient_scope");
        // HEAD: the same challenge and a Content-Length for the body that is not sent
        Response head = given().head("/v2/team/app/manifests/latest");
        head.then().statusCode(401).header("WWW-Authenticate", challenge("repository:team/app:pull", null));
        assertTrue(Integer.parseInt(head.getHeader("Content-Length")) > 0);
    }

    @Test
    void refusalsDeclareExactlyTheBodyTheySendSoKeepAliveStaysInStep() throws Exception {
        for (String method : List.of("GET", "DELETE")) { // (RawHttp reads a body by its length: HEAD is checked above)
            RawHttp.Response reply = RawHttp.exchange(apiPort0(), (method + " /v2/team/app/manifests/v1 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer not-a-token\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII), 300);
            assertEquals(401, reply.status());
            assertTrue(reply.header("WWW-Authenticate").endsWith(",error=\"invalid_token\""), reply.header("WWW-Authenticate"));
            assertEquals(0, reply.trailing().length, "nothing after the declared body");
            assertTrue(reply.bodyText().contains("\"UNAUTHORIZED\""), reply.bodyText());
        }
    }

    @Test
    void tokenEndpointGetWithBasicCredentialsGrantsWhatWasAskedAndAllowed() throws Exception {
        Response response = given().header("Authorization", basic("reader", "reader-pw"))
                .get("/token?service={s}&scope=repository:team/app:pull,push&scope=registry:catalog:*", AuthFixture.SERVICE);
        response.then().statusCode(200).header("Cache-Control", "no-store")
                .body("token", notNullValue()).body("expires_in", equalTo(300))
                .body("issued_at", notNullValue()).body("refresh_token", nullValue());
        String token = response.path("token");
        assertEquals(token, response.path("access_token"));

        JwtContext jwt = unverified(token);
        JsonWebSignature jws = (JsonWebSignature) jwt.getJoseObjects().getFirst();
        assertEquals(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, jws.getAlgorithmHeaderValue());
        assertTrue(jws.getKeyIdHeaderValue() != null && !jws.getKeyIdHeaderValue().isEmpty());
        JwtClaims claims = jwt.getJwtClaims();
        assertEquals(AuthFixture.SERVICE, claims.getIssuer());
        assertEquals(List.of(AuthFixture.SERVICE), claims.getAudience());
        assertEquals("reader", claims.getSubject());
        assertEquals(300, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertEquals(claims.getIssuedAt().getValue(), claims.getNotBefore().getValue());
        assertTrue(claims.getJwtId() != null);
        // pull only: push was asked for and is not allowed, so it is left out rather than refused
        assertEquals(List.of(Map.of("type", "repository", "name", "team/app", "actions", List.of("pull")),
                Map.of("type", "registry", "name", "catalog", "actions", List.of("*"))), claims.getClaimValue("access"));
    }

    @Test
    void wrongOrMissingCredentialsAreRefusedAtTheTokenEndpoint() throws Exception {
        given().header("Authorization", basic("reader", "wrong")).get("/token?scope=repository:team/app:pull")
                .then().statusCode(401).header("WWW-Authenticate", "Basic realm=\"" + AuthFixture.SERVICE + "\"")
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().header("Authorization", basic("nobody", "x")).get("/token").then().statusCode(401);
        given().header("Authorization", "Basic %%%").get("/token").then().statusCode(401);
        given().get("/token?service=another").then().statusCode(400).body("errors[0].code", equalTo("REQUEST_INVALID"));
        // an anonymous token grants only anonymous pull
        assertEquals(List.of(Map.of("type", "repository", "name", "public/x", "actions", List.of("pull"))),
                unverified(Tokens.anonymous("repository:public/x:pull,push", "repository:team/app:pull")).getJwtClaims()
                        .getClaimValue("access"));
    }

    @Test
    void htpasswdBcryptVariantsAreRead() {
        Tokens.of("alice", "alice-secret", "repository:alice/app:pull");
        Tokens.of("bob", "bob-secret", "repository:bob/app:pull");
        Tokens.of("dave", "bob-secret");
        given().header("Authorization", basic("alice", "bob-secret")).get("/token").then().statusCode(401);
    }

    @Test
    void oauthPasswordGrantAndRefreshAsContainerdSpeaksThem() {
        Response password = given().contentType("application/x-www-form-urlencoded")
                .body("grant_type=password&username=admin&password=admin-pw&client_id=containerd&access_type=offline"
                        + "&service=" + AuthFixture.SERVICE + "&scope=repository%3Ateam%2Fapp%3Apull%2Cpush+repository%3Aother%2Fx%3Apull")
                .post("/token");
        password.then().statusCode(200).body("token_type", equalTo("Bearer")).body("expires_in", equalTo(300))
                .body("scope", equalTo("repository:team/app:pull,push repository:other/x:pull"));
        String access = password.path("access_token");
        String refresh = password.path("refresh_token");
        assertTrue(refresh != null);
        given().header("Authorization", bearer(access)).get("/v2/").then().statusCode(200);

        Response refreshed = given().contentType("application/x-www-form-urlencoded")
                .body("grant_type=refresh_token&refresh_token=" + refresh + "&client_id=containerd&scope=repository%3Ateam%2Fapp%3Adelete")
                .post("/token");
        refreshed.then().statusCode(200).body("scope", equalTo("repository:team/app:delete"));
        assertNotEquals(access, refreshed.path("access_token"));
        // a refresh token is no access token, and an access token no refresh token
        Response asBearer = given().header("Authorization", bearer(refresh)).get("/v2/team/app/tags/list");
        assertChallenged(asBearer, "repository:team/app:pull", "invalid_token");
        given().contentType("application/x-www-form-urlencoded").body("grant_type=refresh_token&refresh_token=" + access)
                .post("/token").then().statusCode(401);
        given().contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials").post("/token")
                .then().statusCode(400);
        given().contentType("application/json").body("{}").post("/token").then().statusCode(400);
        // docker login asks for an offline token on GET
        given().header("Authorization", basic("admin", "admin-pw")).get("/token?offline_token=true&client_id=docker")
                .then().statusCode(200).body("refresh_token", notNullValue());
    }

    @Test
    void tokensThatDoNotVerifyAreRefusedWith401NeverA500() throws Exception {
        String scope = "repository:team/app:pull";
        String good = Tokens.of("admin", "admin-pw", scope);
        given().header("Authorization", bearer(good)).get("/v2/team/app/tags/list").then().statusCode(404); // verified; no such repo

        KeyPair ours = PemKeys.keyPair(Files.readAllBytes(AuthFixture.get().signingKey));
        String kid = ((JsonWebSignature) unverified(good).getJoseObjects().getFirst()).getKeyIdHeaderValue();
        long now = NumericDate.now().getValue();
        List<String> refused = List.of(
                sign(ours, kid, c -> c.setExpirationTime(NumericDate.fromSeconds(now - 120))),  // expired (past the skew)
                sign(ours, kid, c -> c.setAudience("another-registry")),                       // wrong audience
                sign(ours, kid, c -> c.setIssuer("someone-else")),                              // wrong issuer
                sign(ours, kid, c -> c.setNotBefore(NumericDate.fromSeconds(now + 600))),       // not yet valid
                sign(otherKey(), kid, c -> { }),                                                // wrong key, our kid
                sign(otherKey(), "unknown-kid", c -> { }),                                      // wrong key, its kid
                tampered(good),                                                                 // payload changed
                noneAlgorithm(good),                                                            // alg none
                "not-a-jwt", "a.b.c", "");
        for (String token : refused) {
            Response response = given().header("Authorization", bearer(token)).get("/v2/team/app/tags/list");
            assertChallenged(response, scope, token.isEmpty() ? null : "invalid_token");
        }
        // the same token re-signed correctly passes: the refusals above are about what was changed
        given().header("Authorization", bearer(sign(ours, kid, c -> { }))).get("/v2/team/app/tags/list").then().statusCode(404);
    }

    @Test
    void usersFileRotationTakesEffectWithoutARestart() {
        given().header("Authorization", basic("carol", "carol-1")).get("/token").then().statusCode(401);
        AuthFixture.get().writeUsers(Map.of("carol", "carol-1"));
        Tokens.of("carol", "carol-1", "repository:carol/x:pull");
        AuthFixture.get().writeUsers(Map.of("carol", "carol-2"));
        given().header("Authorization", basic("carol", "carol-1")).get("/token").then().statusCode(401);
        Tokens.of("carol", "carol-2", "repository:carol/x:pull");
        AuthFixture.get().writeUsers(Map.of());
        given().header("Authorization", basic("carol", "carol-2")).get("/token").then().statusCode(401);
    }

    private String sign(KeyPair key, String kid, Consumer<JwtClaims> change) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(AuthFixture.SERVICE);
        claims.setAudience(AuthFixture.SERVICE);
        claims.setSubject("admin");
        claims.setIssuedAtToNow();
        claims.setNotBeforeMinutesInThePast(0);
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setGeneratedJwtId();
        claims.setClaim("access", List.of(Map.of("type", "repository", "name", "team/app", "actions", List.of("pull"))));
        change.accept(claims);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivate());
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair otherKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** The payload of a valid token with one more right; the signature is the original's. */
    private static String tampered(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("\"pull\"", "\"pull\",\"push\"");
        return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
    }

    private static String noneAlgorithm(String token) {
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
        return header + "." + token.split("\\.")[1] + ".";
    }

    static JwtContext unverified(String token) throws Exception {
        return new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature().setSkipSignatureVerification()
                .build().process(token);
    }
}
