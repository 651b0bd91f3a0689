package io.regfleet.registry.http;

import io.regfleet.registry.auth.Principal;
import io.regfleet.registry.telemetry.RequestTimings;
import io.vertx.core.http.HttpServerRequest;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * What the request log needs to know of one request while it is served: when it started, its id (the client's
 * {@code X-Request-Id} when it is a plain token, else a new one), where its time went, and who sent it once access
 * control has said (allowed or denied).
 */
record RequestTrace(long startedNanos, String id, RequestTimings timings, AtomicReference<String> caller) {
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** A client's id is taken as it is only when it cannot forge a log line or carry much. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    static RequestTrace of(HttpServerRequest request) {
        String given = request.getHeader(REQUEST_ID_HEADER);
        String id = given != null && CLIENT_ID.matcher(given).matches() ? given
                : HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        return new RequestTrace(System.nanoTime(), id, new RequestTimings(), new AtomicReference<>());
    }

    /** The caller's name (a user, or {@code oidc:<subject>}); null for nobody or before access control has said. */
    String user() {
        return caller.get();
    }

    void identified(Principal principal) {
        if (!principal.isAnonymous()) {
            caller.set(principal.subject());
        }
    }
}
