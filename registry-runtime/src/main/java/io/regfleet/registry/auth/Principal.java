package io.regfleet.registry.auth;

import java.util.Set;

/**
 * Who is calling: nobody (no credentials), a user or robot account of the users file, or the subject of a token from
 * the OIDC issuer with its groups. OIDC callers get the rules of their groups, never those of a user of the same name.
 */
public record Principal(Kind kind, String name, Set<String> groups) {
    public static final Principal ANONYMOUS = new Principal(Kind.ANONYMOUS, "", Set.of());
    /** How an OIDC caller's {@code sub} starts in our tokens; no htpasswd name can contain the colon. */
    private static final String OIDC_PREFIX = "oidc:";

    public enum Kind { ANONYMOUS, USER, OIDC }

    public Principal {
        groups = Set.copyOf(groups);
    }

    public static Principal user(String name) {
        return new Principal(Kind.USER, name, Set.of());
    }

    public static Principal oidc(String name, Set<String> groups) {
        return new Principal(Kind.OIDC, name, groups);
    }

    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }

    /** The {@code sub} of our tokens: empty for nobody, {@code oidc:<name>} for OIDC callers. */
    public String subject() {
        return switch (kind) {
            case ANONYMOUS -> "";
            case USER -> name;
            case OIDC -> OIDC_PREFIX + name;
        };
    }

    /** The principal a token's {@code sub} (and groups claim) names. */
    public static Principal ofSubject(String subject, Set<String> groups) {
        if (subject == null || subject.isEmpty()) {
            return ANONYMOUS;
        }
        return subject.startsWith(OIDC_PREFIX) ? oidc(subject.substring(OIDC_PREFIX.length()), groups) : user(subject);
    }
}
