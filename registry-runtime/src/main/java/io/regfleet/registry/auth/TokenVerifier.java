package io.regfleet.registry.auth;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * Verifies our own tokens with jose4j: signature by a key of the {@link KeyRing} (ES256/384/512 or RS256 only),
 * issuer, audience (the service), expiry and not-before with 30 s of clock skew, a token id. An access token must not
 * be a refresh token and the other way round.
 */
final class TokenVerifier {
    private final JwtConsumer consumer;

    TokenVerifier(String issuer, String audience, KeyRing keys) {
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds(TokenClaims.CLOCK_SKEW_SECONDS)
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setVerificationKeyResolver(keys)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                        AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512, AlgorithmIdentifiers.RSA_USING_SHA256)
                .build();
    }

    /** An access token: the caller and what it grants. */
    Caller access(JwtContext token) throws InvalidTokenException {
        JwtClaims claims = verify(token);
        if (claims.hasClaim(PrivateClaim.USE.key)) {
            throw new InvalidTokenException("a refresh token is no access token");
        }
        try {
            return new Caller(Principal.ofSubject(claims.getSubject(), TokenClaims.strings(claims, PrivateClaim.GROUPS.key)),
                    TokenClaims.access(claims), TokenClaims.expiry(claims));
        } catch (MalformedClaimException e) {
            throw new InvalidTokenException("malformed claims", e);
        }
    }

    /** A refresh token's user and credential version. */
    Refresh refresh(String token) throws InvalidTokenException {
        JwtClaims claims = verify(TokenClaims.parse(token));
        try {
            if (!PrivateClaim.REFRESH.equals(claims.getClaimValue(PrivateClaim.USE.key))
                    || !(claims.getClaimValue(PrivateClaim.CREDENTIAL_VERSION.key) instanceof String version)) {
                throw new InvalidTokenException("not a refresh token");
            }
            return new Refresh(Principal.ofSubject(claims.getSubject(), java.util.Set.of()), version);
        } catch (MalformedClaimException e) {
            throw new InvalidTokenException("malformed claims", e);
        }
    }

    record Refresh(Principal principal, String credentialVersion) {
    }

    private JwtClaims verify(JwtContext token) throws InvalidTokenException {
        try {
            consumer.processContext(token);
            return token.getJwtClaims();
        } catch (InvalidJwtException | RuntimeException e) {
            throw new InvalidTokenException(e.getMessage(), e);
        }
    }
}
