package io.regfleet.registry.auth;

/** What access control says about a request. */
public sealed interface Decision {
    /** The challenge's {@code error} for a token that does not verify. */
    String INVALID_TOKEN = "invalid_token";
    /** The challenge's {@code error} for a token that lacks a scope its holder could be granted. */
    String INSUFFICIENT_SCOPE = "insufficient_scope";

    /** Go ahead, as this caller. */
    record Allowed(Caller caller) implements Decision {
    }

    /** 401 with a challenge: get a (new) token; {@code error} is null, {@link #INVALID_TOKEN} or {@link #INSUFFICIENT_SCOPE}. */
    record Challenge(String error) implements Decision {
    }

    /** 403 DENIED: the caller is known and the rules do not let it. */
    record Denied(Principal principal) implements Decision {
    }
}
