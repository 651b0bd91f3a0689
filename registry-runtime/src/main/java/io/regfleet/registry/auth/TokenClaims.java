package io.regfleet.registry.auth;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading tokens: a first look that verifies nothing (which issuer?), and typed reads of verified claims. */
final class TokenClaims {
    /** Only parses: the issuer decides which verifier takes the token, and that verifier checks everything. */
    private static final JwtConsumer UNVERIFIED = new JwtConsumerBuilder().setSkipAllValidators()
            .setDisableRequireSignature().setSkipSignatureVerification().build();
    static final int CLOCK_SKEW_SECONDS = 30;

    private TokenClaims() {
    }

    static JwtContext parse(String token) throws InvalidTokenException {
        try {
            return UNVERIFIED.process(token);
        } catch (InvalidJwtException | RuntimeException e) {
            throw new InvalidTokenException("not a JWT", e);
        }
    }

    static String issuer(JwtContext token) throws InvalidTokenException {
        try {
            return token.getJwtClaims().getIssuer();
        } catch (MalformedClaimException e) {
            throw new InvalidTokenException("malformed iss", e);
        }
    }

    static Instant expiry(JwtClaims claims) throws MalformedClaimException {
        return Instant.ofEpochSecond(claims.getExpirationTime().getValue());
    }

    /** A claim that is a string or a list of strings, as a set (absent: empty). */
    static Set<String> strings(JwtClaims claims, String name) throws InvalidTokenException {
        Object value = claims.getClaimValue(name);
        Set<String> strings = new LinkedHashSet<>();
        if (value instanceof String s) {
            strings.add(s);
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    throw new InvalidTokenException(name + " is not a list of strings");
                }
                strings.add(s);
            }
        } else if (value != null) {
            throw new InvalidTokenException(name + " is neither a string nor a list");
        }
        return strings;
    }

    /** The {@code access} claim: a list of {type, name, actions}. */
    static List<Access> access(JwtClaims claims) throws InvalidTokenException {
        if (!(claims.getClaimValue(PrivateClaim.ACCESS.key) instanceof List<?> entries)) {
            throw new InvalidTokenException("no access claim");
        }
        List<Access> access = new ArrayList<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> map && map.get("type") instanceof String type
                    && map.get("name") instanceof String name && map.get("actions") instanceof List<?> actions
                    && actions.stream().allMatch(String.class::isInstance))) {
                throw new InvalidTokenException("malformed access entry");
            }
            access.add(new Access(type, name, Set.copyOf(actions.stream().map(String.class::cast).toList())));
        }
        return access;
    }
}
