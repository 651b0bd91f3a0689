package io.regfleet.registry.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.jboss.logging.Logger;
import org.jose4j.jwt.consumer.JwtContext;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Decides each request: the bearer token (ours, or the OIDC issuer's) is verified once and then found in a bounded
 * cache until it expires, so a request with a known token costs a hash lookup. Without a token the rules for nobody
 * apply (anonymous pull); {@code /v2/} itself is challenged, so clients learn where tokens come from. A known caller
 * whose token lacks a right that the rules would grant is challenged again (a client asks for the scopes it needs
 * one by one); one the rules refuse is denied.
 */
final class Gatekeeper {
    private static final Logger LOG = Logger.getLogger(Gatekeeper.class);
    private final TokenVerifier ours;
    private final OidcVerifier oidc;
    private final Supplier<AccessRules> rules;
    private final Cache<String, Caller> verified;

    Gatekeeper(TokenVerifier ours, OidcVerifier oidc, Supplier<AccessRules> rules, int cacheSize) {
        this.ours = ours;
        this.oidc = oidc;
        this.rules = rules;
        this.verified = Caffeine.newBuilder().maximumSize(cacheSize)
                .expireAfter(Expiry.<String, Caller>creating((token, caller) -> untilExpiry(caller)))
                .build();
    }

    Decision authorize(String authorization, List<Access> needed) {
        return authorize(authorization, needed, false);
    }

    /** {@link #authorize}, or null when that needs a token verified first (only a token verified before is known). */
    Decision authorizeFromMemory(String authorization, List<Access> needed) {
        return authorize(authorization, needed, true);
    }

    private Decision authorize(String authorization, List<Access> needed, boolean fromMemory) {
        String token = bearerToken(authorization);
        Caller caller;
        if (token == null) {
            if (needed.isEmpty()) {
                return new Decision.Challenge(null); // the /v2/ probe: tell the client where tokens come from
            }
            caller = Caller.ANONYMOUS;
        } else if (fromMemory) {
            caller = verified.getIfPresent(token);
            if (caller == null) {
                return null;
            }
        } else {
            try {
                caller = caller(token);
            } catch (InvalidTokenException e) {
                LOG.debugf("bearer token refused: %s", e.getMessage());
                return new Decision.Challenge(Decision.INVALID_TOKEN);
            }
        }
        List<Access> missing = needed.stream().filter(access -> !grants(caller, access)).toList();
        if (missing.isEmpty()) {
            return new Decision.Allowed(caller);
        }
        if (caller.principal().isAnonymous()) {
            return new Decision.Challenge(token == null ? null : Decision.INSUFFICIENT_SCOPE);
        }
        AccessRules current = rules.get();
        boolean couldHave = missing.stream().allMatch(access -> current.allows(caller.principal(), access));
        return couldHave ? new Decision.Challenge(Decision.INSUFFICIENT_SCOPE) : new Decision.Denied(caller.principal());
    }

    /** Whether the caller may do {@code access}: its token's claim says, or (no token of ours) the rules. */
    boolean grants(Caller caller, Access access) {
        return caller.access() == null ? rules.get().allows(caller.principal(), access) : caller.tokenGrants(access);
    }

    /** The repositories the caller may pull, by the rules (the catalog shows only these). */
    Predicate<String> pullable(Caller caller) {
        AccessRules current = rules.get();
        return repository -> current.allowed(caller.principal(), repository).contains(Action.PULL);
    }

    private Caller caller(String token) throws InvalidTokenException {
        Caller known = verified.getIfPresent(token);
        if (known != null) { // the cache drops it when it expires
            return known;
        }
        JwtContext parsed = TokenClaims.parse(token);
        Caller caller = oidc != null && oidc.issuer().equals(TokenClaims.issuer(parsed)) ? oidc.verify(parsed) : ours.access(parsed);
        verified.put(token, caller);
        return caller;
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null; // none, or Basic: the registry takes tokens only
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** Kept until the token expires (plus the clock skew verification allows), at least not at all. */
    private static Duration untilExpiry(Caller caller) {
        Duration left = Duration.between(Instant.now(), caller.expiresAt().plusSeconds(TokenClaims.CLOCK_SKEW_SECONDS));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
