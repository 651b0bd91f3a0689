package io.regfleet.registry.auth;

/** The claims of our tokens beyond the registered ones ({@code iss}, {@code sub}, {@code exp}...). */
enum PrivateClaim {
    /** What an access token grants: {@code [{"type", "name", "actions"}]}, as distribution's tokens carry it. */
    ACCESS("access"),
    /** An OIDC caller's groups: the catalog is filtered by the rules of its groups. */
    GROUPS("groups"),
    /** {@code refresh} on a refresh token; absent on an access token, so neither passes for the other. */
    USE("use"),
    /** A refresh token's hash of the user's stored password hash: a changed password retires it. */
    CREDENTIAL_VERSION("cv");

    /** The value of {@link #USE} on a refresh token. */
    static final String REFRESH = "refresh";
    final String key;

    PrivateClaim(String key) {
        this.key = key;
    }
}
