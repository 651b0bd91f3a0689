package io.regfleet.registry.auth;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A verified caller: who it is and what its credentials grant. A token of ours grants what its {@code access} claim
 * lists; a caller without a token of ours (nobody, an OIDC token) has {@code access == null}: the rules decide.
 */
public record Caller(Principal principal, List<Access> access, Instant expiresAt) {
    public static final Caller ANONYMOUS = new Caller(Principal.ANONYMOUS, null, Instant.MAX);

    public Caller {
        access = access == null ? null : List.copyOf(access);
    }

    /** Whether the token's {@code access} claim covers {@code needed}; several entries for one resource add up. */
    boolean tokenGrants(Access needed) {
        if (needed.isCatalog()) {
            return access.stream().anyMatch(Access::isCatalog);
        }
        Set<Action> granted = EnumSet.noneOf(Action.class);
        access.stream().filter(a -> a.isRepository() && a.name().equals(needed.name()))
                .forEach(a -> granted.addAll(a.repositoryActions()));
        return needed.isRepository() && granted.containsAll(needed.repositoryActions());
    }
}
