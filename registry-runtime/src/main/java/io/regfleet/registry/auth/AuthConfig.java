package io.regfleet.registry.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Access control of the registry API (prefix {@code regfleet.auth}): the Docker/OCI token flow. Every file is re-read
 * when it changes (a rotated Secret takes effect without a restart). README: "Access control".
 */
@ConfigMapping(prefix = "regfleet.auth")
public interface AuthConfig {

    /** Require tokens on the API. Off: the registry is open (make run). Env: REGFLEET_AUTH_ENABLED. */
    @WithDefault("false")
    boolean enabled();

    /**
     * The token endpoint's absolute URL, as the challenge names it (e.g. {@code https://registry.example.com/token}).
     * Absent: this server's {@code /token} at the address the client used. Env: REGFLEET_AUTH_REALM.
     */
    Optional<String> realm();

    /** The service name: the challenge's {@code service} and the tokens' audience. Env: REGFLEET_AUTH_SERVICE. */
    @WithDefault("regfleet")
    String service();

    /** The tokens' {@code iss}; absent: the service name. Env: REGFLEET_AUTH_ISSUER. */
    Optional<String> issuer();

    /**
     * PEM private key that signs tokens (EC P-256: ES256, RSA: RS256); its public key verifies them. Absent (and no
     * verify key): a key generated at start, which no other replica knows. Env: REGFLEET_AUTH_SIGNING_KEY_FILE.
     */
    Optional<Path> signingKeyFile();

    /**
     * PEM public keys (one or more) that verify tokens, in addition to the signing key's: a replica with only this
     * verifies but issues no tokens; during a key rotation it holds the old and the new key. Env:
     * REGFLEET_AUTH_VERIFY_KEY_FILE.
     */
    Optional<Path> verifyKeyFile();

    /** htpasswd file of users and robot accounts (bcrypt entries). Env: REGFLEET_AUTH_USERS_FILE. */
    Optional<Path> usersFile();

    /** YAML rules: who may pull, push, delete which repositories. Absent: every user may do everything. Env: REGFLEET_AUTH_RULES_FILE. */
    Optional<Path> rulesFile();

    /** How long an access token lives. Env: REGFLEET_AUTH_TOKEN_TTL. */
    @WithDefault("5M")
    Duration tokenTtl();

    /** How long a refresh token (docker login's identity token, OAuth2 offline access) lives. Env: REGFLEET_AUTH_REFRESH_TOKEN_TTL. */
    @WithDefault("7D")
    Duration refreshTokenTtl();

    /** Verified tokens kept in memory until they expire (at most this many). Env: REGFLEET_AUTH_CACHE_SIZE. */
    @WithDefault("10000")
    int cacheSize();

    /** How often the files above are looked at for a change. Env: REGFLEET_AUTH_RELOAD_CHECK. */
    @WithDefault("2S")
    Duration reloadCheck();

    Oidc oidc();

    /** Tokens of an external OpenID Connect issuer, accepted as bearer tokens and as the password at the token endpoint. */
    interface Oidc {
        /** The issuer URL ({@code iss}); absent: OIDC off. Env: REGFLEET_AUTH_OIDC_ISSUER. */
        Optional<String> issuer();

        /** The issuer's keys (JWKS) from this URL; absent: {@code jwks_uri} of the issuer's discovery document. Env: REGFLEET_AUTH_OIDC_JWKS_URL. */
        Optional<String> jwksUrl();

        /** The issuer's keys (JWKS) from a file instead of a URL. Env: REGFLEET_AUTH_OIDC_JWKS_FILE. */
        Optional<Path> jwksFile();

        /** The audience a token must carry ({@code aud}). Env: REGFLEET_AUTH_OIDC_AUDIENCE. */
        @WithDefault("regfleet")
        String audience();

        /** The claim naming the caller. Env: REGFLEET_AUTH_OIDC_USERNAME_CLAIM. */
        @WithDefault("sub")
        String usernameClaim();

        /** The claim whose values (a string or a list) select the rules file's {@code groups}. Env: REGFLEET_AUTH_OIDC_GROUPS_CLAIM. */
        @WithDefault("groups")
        String groupsClaim();
    }
}
