package io.regfleet.registry.auth;

import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The token endpoint's logic: who the credentials name (a user of the users file, an OIDC token given as the password,
 * a refresh token, or nobody), then a token granting what was asked for and the rules allow, as distribution's token
 * servers do (asked-for ∩ allowed; what is not allowed is left out, not refused).
 */
public final class TokenDesk {
    /** The most scopes one token request may ask for (a token carries them all). */
    static final int MAX_SCOPES = 64;
    private final KeyRing keys;
    private final TokenIssuer issuer;
    private final TokenVerifier verifier;
    private final UserDirectory users;
    private final OidcVerifier oidc;
    private final Supplier<AccessRules> rules;
    private final AuthConfig config;

    /** An issued token: what the endpoint answers. {@code refreshToken} is null unless offline access was asked for. */
    public record Grant(Principal principal, String token, Instant issuedAt, Duration expiresIn, List<Access> granted,
                        String refreshToken) {
    }

    TokenDesk(KeyRing keys, TokenVerifier verifier, UserDirectory users, OidcVerifier oidc, Supplier<AccessRules> rules,
              AuthConfig config) {
        this.keys = keys;
        this.issuer = new TokenIssuer(config.issuer().orElse(config.service()), config.service());
        this.verifier = verifier;
        this.users = users;
        this.oidc = oidc;
        this.rules = rules;
        this.config = config;
    }

    public String service() {
        return config.service();
    }

    /** No credentials: what nobody may do (anonymous pull). */
    public Grant anonymous(List<Access> scopes) {
        return grant(Principal.ANONYMOUS, scopes, null);
    }

    /** A user's password, or an OIDC token given as the password; {@code offline} adds a refresh token for users. */
    public Grant password(String user, String password, List<Access> scopes, boolean offline) {
        Optional<String> version = users.authenticate(user, password);
        if (version.isPresent()) {
            return grant(Principal.user(user), scopes, offline ? version.get() : null);
        }
        if (oidc != null && password.chars().filter(c -> c == '.').count() == 2) {
            try {
                return grant(oidc.verify(TokenClaims.parse(password)).principal(), scopes, null);
            } catch (InvalidTokenException e) {
                throw rejected();
            }
        }
        throw rejected();
    }

    /** A refresh token: valid while the user exists with the same password. */
    public Grant refresh(String refreshToken, List<Access> scopes) {
        try {
            TokenVerifier.Refresh refresh = verifier.refresh(refreshToken);
            Principal principal = refresh.principal();
            if (principal.kind() != Principal.Kind.USER
                    || !users.credentialVersion(principal.name()).map(refresh.credentialVersion()::equals).orElse(false)) {
                throw rejected();
            }
            return grant(principal, scopes, null);
        } catch (InvalidTokenException e) {
            throw rejected();
        }
    }

    private Grant grant(Principal principal, List<Access> scopes, String refreshFor) {
        if (scopes.size() > MAX_SCOPES) {
            throw new RegistryException(ErrorCode.REQUEST_INVALID, "at most " + MAX_SCOPES + " scopes per token request");
        }
        SigningKey key = keys.signingKey().orElseThrow(); // a desk exists only where a signing key does
        List<Access> granted = allowedPart(principal, scopes);
        TokenIssuer.Issued access = issuer.access(key, principal, granted, config.tokenTtl());
        String refresh = refreshFor == null ? null : issuer.refresh(key, principal, refreshFor, config.refreshTokenTtl()).token();
        return new Grant(principal, access.token(), access.issuedAt(), access.lifetime(), granted, refresh);
    }

    private List<Access> allowedPart(Principal principal, List<Access> scopes) {
        AccessRules current = rules.get();
        List<Access> granted = new ArrayList<>();
        for (Access asked : scopes) {
            if (asked.isCatalog() && current.allows(principal, Access.CATALOG)) {
                granted.add(Access.CATALOG);
            } else if (asked.isRepository()) {
                Set<Action> allowed = current.allowed(principal, asked.name());
                allowed.retainAll(asked.repositoryActions());
                if (!allowed.isEmpty()) {
                    granted.add(Access.repository(asked.name(), allowed.toArray(Action[]::new)));
                }
            }
        }
        return granted;
    }

    private static RegistryException rejected() {
        return new RegistryException(ErrorCode.UNAUTHORIZED, "invalid credentials");
    }
}
