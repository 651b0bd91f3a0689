package io.regfleet.registry.auth;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs our tokens with jose4j. An access token is what distribution's token servers issue: {@code iss}, {@code aud}
 * (the service), {@code sub}, {@code exp}, {@code nbf}, {@code iat}, {@code jti} and the granted {@code access}; an
 * OIDC caller's token also carries its {@code groups} (the catalog is filtered by them). A refresh token carries
 * {@code use: refresh} and the user's credential version instead of access.
 */
final class TokenIssuer {
    private final String issuer;
    private final String audience;

    record Issued(String token, Instant issuedAt, Duration lifetime) {
    }

    TokenIssuer(String issuer, String audience) {
        this.issuer = issuer;
        this.audience = audience;
    }

    Issued access(SigningKey key, Principal principal, List<Access> granted, Duration lifetime) {
        NumericDate now = NumericDate.now();
        JwtClaims claims = claims(principal, now, lifetime);
        claims.setClaim(PrivateClaim.ACCESS.key, granted.stream().map(TokenIssuer::accessEntry).toList());
        if (!principal.groups().isEmpty()) {
            claims.setStringListClaim(PrivateClaim.GROUPS.key, List.copyOf(principal.groups()));
        }
        return sign(key, claims, now, lifetime);
    }

    Issued refresh(SigningKey key, Principal principal, String credentialVersion, Duration lifetime) {
        NumericDate now = NumericDate.now();
        JwtClaims claims = claims(principal, now, lifetime);
        claims.setClaim(PrivateClaim.USE.key, PrivateClaim.REFRESH);
        claims.setClaim(PrivateClaim.CREDENTIAL_VERSION.key, credentialVersion);
        return sign(key, claims, now, lifetime);
    }

    private JwtClaims claims(Principal principal, NumericDate now, Duration lifetime) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(principal.subject());
        claims.setIssuedAt(now);
        claims.setNotBefore(now);
        claims.setExpirationTime(NumericDate.fromSeconds(now.getValue() + lifetime.toSeconds()));
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    private static Map<String, Object> accessEntry(Access access) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", access.type());
        entry.put("name", access.name());
        entry.put("actions", access.orderedActions());
        return entry;
    }

    private static Issued sign(SigningKey key, JwtClaims claims, NumericDate now, Duration lifetime) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.keyId());
        jws.setAlgorithmHeaderValue(key.algorithm());
        jws.setHeader("typ", "JWT");
        try {
            return new Issued(jws.getCompactSerialization(), Instant.ofEpochSecond(now.getValue()), lifetime);
        } catch (JoseException e) {
            throw new IllegalStateException("token signing failed", e);
        }
    }
}
