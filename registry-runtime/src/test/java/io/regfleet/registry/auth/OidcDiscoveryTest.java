package io.regfleet.registry.auth;

import io.regfleet.dev.JsonReplies;
import com.sun.net.httpserver.HttpServer;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * OIDC in production: the issuer's keys come from the {@code jwks_uri} of its discovery document, here served by a
 * real HTTP server on 127.0.0.1 (the JDK's), found on first use and not asked again for every token.
 */
class OidcDiscoveryTest {
    static HttpServer idp;
    static RsaJsonWebKey key;
    static String issuer;
    static final AtomicInteger discoveries = new AtomicInteger();

    @BeforeAll
    static void startIssuer() throws Exception {
        key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("k1");
        idp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realms/test";
        idp.createContext("/realms/test/.well-known/openid-configuration", exchange -> {
            discoveries.incrementAndGet();
            respond(exchange, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/certs\"}");
        });
        idp.createContext("/realms/test/certs", exchange -> respond(exchange, new JsonWebKeySet(key).toJson()));
        idp.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String json) throws java.io.IOException {
        JsonReplies.send(exchange, 200, json);
    }

    @AfterAll
    static void stopIssuer() {
        idp.stop(0);
    }

    private static AuthConfig.Oidc config() {
        return new AuthConfig.Oidc() {
            public Optional<String> issuer() {
                return Optional.of(issuer);
            }

            public Optional<String> jwksUrl() {
                return Optional.empty();
            }

            public Optional<Path> jwksFile() {
                return Optional.empty();
            }

            public String audience() {
                return "registry";
            }

            public String usernameClaim() {
                return "preferred_username";
            }

            public String groupsClaim() {
                return "groups";
            }
        };
    }

    private static String token(String audience, String groups) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject("f81d4fae");
        claims.setClaim("preferred_username", "jane");
        claims.setClaim("groups", groups); // a single group as a string
        claims.setExpirationTimeMinutesInTheFuture(5);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    @Test
    void keysAreFoundThroughTheDiscoveryDocumentOnce() throws Exception {
        OidcVerifier verifier = new OidcVerifier(config(), java.time.Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            Caller caller = verifier.verify(TokenClaims.parse(token("registry", "devs")));
            assertEquals(Principal.oidc("jane", Set.of("devs")), caller.principal());
        }
        assertEquals(1, discoveries.get());
        assertThrows(InvalidTokenException.class, () -> verifier.verify(TokenClaims.parse(token("elsewhere", "devs"))));
    }
}
