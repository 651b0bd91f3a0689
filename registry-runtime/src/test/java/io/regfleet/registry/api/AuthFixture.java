package io.regfleet.registry.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.regfleet.dev.auth.AuthFiles;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a registry with access control, as the operator would mount them: users (htpasswd bcrypt), rules,
 * a signing key, and an OIDC issuer's JWKS whose private key signs the test's OIDC tokens. Files are checked for
 * changes on every use ({@code reload-check=0S}), so a rotation takes effect at the next request.
 */
final class AuthFixture {
    static final String SERVICE = "regfleet-test";
    static final String OIDC_ISSUER = "https://idp.example.test";
    static final String OIDC_AUDIENCE = "regfleet-test-audience";
    /** Written by {@code htpasswd -nbB alice alice-secret}: the $2y$ form as Apache's tool writes it. */
    static final String ALICE_HTPASSWD = "alice:$2y$05$OkGBWgtMPtm9woPwvVgLzeOHAfGI7/mQVhwQ539xMc23QTI.23xvu";
    /** htpasswd -nbB -C 4 bob bob-secret, written with the $2b$ prefix (OpenBSD's; the same hash). */
    static final String BOB_HTPASSWD = "bob:$2b$04$kZtIg0t15pPXwa0bjXdOguWipa6Kg/bQ5F0ZT5z4O8r2iWZlaE.dS";
    /** bob's hash with the $2a$ prefix (older bcrypt implementations write it; the same hash). */
    static final String DAVE_HTPASSWD = "dave:$2a$04$kZtIg0t15pPXwa0bjXdOguWipa6Kg/bQ5F0ZT5z4O8r2iWZlaE.dS";
    static final Map<String, String> PASSWORDS = Map.of("admin", "admin-pw", "reader", "reader-pw", "ci-robot", "robot-pw");
    static final String RULES = """
            anonymous: ["public/**"]
            users:
              admin: {"**": ["*"]}
              reader: {"**": [pull]}
              alice: {"alice/**": [pull, push]}
              bob: {"bob/**": [pull]}
              ci-robot: {"team/*": [pull, push, delete]}
              carol: {"carol/**": [pull]}
            groups:
              oidc-devs: {"oidc/**": [pull, push]}
            """;

    private static AuthFixture instance;
    final Path dir;
    final Path users;
    final Path rules;
    final Path signingKey;
    final RsaJsonWebKey oidcKey;

    private AuthFixture() throws Exception {
        dir = Files.createTempDirectory("regfleet-auth");
        users = writeUsers(Map.of());
        rules = AuthFiles.write(dir.resolve("rules.yaml"), RULES);
        signingKey = AuthFiles.writeSigningKey(dir.resolve("signing-key.pem"));
        oidcKey = RsaJwkGenerator.generateJwk(2048);
        oidcKey.setKeyId("idp-key-1");
        AuthFiles.write(dir.resolve("jwks.json"), new JsonWebKeySet(oidcKey).toJson());
    }

    static synchronized AuthFixture get() {
        if (instance == null) {
            try {
                instance = new AuthFixture();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    /** The users file: the base users plus {@code extra} (name to password), replaced atomically. */
    Path writeUsers(Map<String, String> extra) {
        Map<String, String> all = new LinkedHashMap<>(PASSWORDS);
        all.putAll(extra);
        StringBuilder lines = new StringBuilder(ALICE_HTPASSWD + "\n" + BOB_HTPASSWD + "\n" + DAVE_HTPASSWD + "\n");
        all.forEach((user, password) -> lines.append(AuthFiles.htpasswdLine(user, password)).append('\n'));
        return AuthFiles.write(dir.resolve("users.htpasswd"), lines.toString());
    }

    /** A token of the OIDC issuer, signed with its key. */
    String oidcToken(String subject, List<String> groups, String audience) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(OIDC_ISSUER);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setStringListClaim("groups", groups);
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + 300));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(oidcKey.getPrivateKey());
        jws.setKeyIdHeaderValue(oidcKey.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, String> config() {
        return Map.ofEntries(
                Map.entry("regfleet.auth.enabled", "true"),
                Map.entry("regfleet.auth.service", SERVICE),
                Map.entry("regfleet.auth.users-file", users.toString()),
                Map.entry("regfleet.auth.rules-file", rules.toString()),
                Map.entry("regfleet.auth.signing-key-file", signingKey.toString()),
                Map.entry("regfleet.auth.reload-check", "0S"),
                Map.entry("regfleet.auth.oidc.issuer", OIDC_ISSUER),
                Map.entry("regfleet.auth.oidc.audience", OIDC_AUDIENCE),
                Map.entry("regfleet.auth.oidc.jwks-file", dir.resolve("jwks.json").toString()));
    }

    /** Access control on, plain HTTP. */
    public static class On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return get().config();
        }
    }
}
