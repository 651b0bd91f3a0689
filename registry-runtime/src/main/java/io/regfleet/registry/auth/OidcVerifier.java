package io.regfleet.registry.auth;

import org.jboss.logging.Logger;
import org.jose4j.http.Get;
import org.jose4j.http.SimpleResponse;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.regfleet.registry.config.WatchedFile;

/**
 * Tokens of an external OpenID Connect issuer, verified with jose4j against the issuer's keys: a JWKS file (a Secret),
 * a JWKS URL, or the {@code jwks_uri} of {@code <issuer>/.well-known/openid-configuration}, looked up on first use and
 * again after a failure. Asymmetric algorithms only; issuer, audience and expiry are checked. The caller is named by
 * the username claim and gets the rules of the groups its groups claim lists.
 */
final class OidcVerifier {
    private static final Logger LOG = Logger.getLogger(OidcVerifier.class);
    private static final String DISCOVERY = "/.well-known/openid-configuration";
    private final AuthConfig.Oidc config;
    private final String issuer;
    private final JwtConsumer consumer;

    OidcVerifier(AuthConfig.Oidc config, Duration reloadCheck) {
        this.config = config;
        this.issuer = config.issuer().orElseThrow();
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(TokenClaims.CLOCK_SKEW_SECONDS)
                .setExpectedIssuer(issuer)
                .setExpectedAudience(config.audience())
                .setVerificationKeyResolver(keys(config, reloadCheck))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
                        AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
                        AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                        AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                        AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512)
                .build();
    }

    String issuer() {
        return issuer;
    }

    /** The caller of a token from the issuer; the rules decide what it may do. */
    Caller verify(JwtContext token) throws InvalidTokenException {
        try {
            consumer.processContext(token);
            JwtClaims claims = token.getJwtClaims();
            if (!(claims.getClaimValue(config.usernameClaim()) instanceof String name) || name.isEmpty()) {
                throw new InvalidTokenException("no " + config.usernameClaim() + " claim");
            }
            Set<String> groups = TokenClaims.strings(claims, config.groupsClaim());
            return new Caller(Principal.oidc(name, groups), null, TokenClaims.expiry(claims));
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            throw new InvalidTokenException(e.getMessage(), e);
        }
    }

    private static VerificationKeyResolver keys(AuthConfig.Oidc config, Duration reloadCheck) {
        if (config.jwksFile().isPresent()) {
            WatchedFile<JsonWebKeySet> file = WatchedFile.load(config.jwksFile().get(), reloadCheck,
                    content -> new JsonWebKeySet(new String(content, StandardCharsets.UTF_8)));
            return (jws, nesting) -> new JwksVerificationKeyResolver(file.get().getJsonWebKeys()).resolveKey(jws, nesting);
        }
        if (config.jwksUrl().isPresent()) {
            return new HttpsJwksVerificationKeyResolver(new HttpsJwks(config.jwksUrl().get()));
        }
        return new Discovered(config.issuer().orElseThrow());
    }

    /** The issuer's keys from the {@code jwks_uri} of its discovery document, found on first use; retried at most every 30 s. */
    private static final class Discovered implements VerificationKeyResolver {
        private static final long RETRY_NANOS = Duration.ofSeconds(30).toNanos();
        private final String issuer;
        private volatile VerificationKeyResolver resolver;
        private long failedAt = System.nanoTime() - RETRY_NANOS;

        Discovered(String issuer) {
            this.issuer = issuer;
        }

        @Override
        public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nesting) throws UnresolvableKeyException {
            VerificationKeyResolver current = resolver;
            if (current == null) {
                current = discover();
            }
            return current.resolveKey(jws, nesting);
        }

        private synchronized VerificationKeyResolver discover() throws UnresolvableKeyException {
            if (resolver != null) {
                return resolver;
            }
            if (System.nanoTime() - failedAt < RETRY_NANOS) {
                throw new UnresolvableKeyException("OIDC discovery failed less than 30 s ago");
            }
            failedAt = System.nanoTime(); // until it succeeds
            String location = issuer.replaceAll("/+$", "") + DISCOVERY;
            try {
                SimpleResponse response = new Get().get(location);
                if (response.getStatusCode() != 200
                        || !(JsonUtil.parseJson(response.getBody()).get("jwks_uri") instanceof String jwksUri)) {
                    throw new UnresolvableKeyException("no jwks_uri at " + location + " (HTTP " + response.getStatusCode() + ")");
                }
                resolver = new HttpsJwksVerificationKeyResolver(new HttpsJwks(jwksUri));
                LOG.infof("OIDC issuer %s: keys from %s", issuer, jwksUri);
                return resolver;
            } catch (UnresolvableKeyException e) {
                LOG.warn(e.getMessage());
                throw e;
            } catch (Exception e) {
                LOG.warnf("OIDC discovery at %s failed: %s", location, e.getMessage());
                throw new UnresolvableKeyException("OIDC discovery failed", e);
            }
        }
    }
}
