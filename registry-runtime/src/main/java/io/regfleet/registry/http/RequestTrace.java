package io.regfleet.registry.http;

import io.regfleet.registry.auth.Principal;
import io.regfleet.registry.telemetry.RequestTimings;
import io.vertx.core.http.HttpServerRequest;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * What the request log needs to know of one request while it is served: when it started, its id (the client's
 * {@code X-Request-Id} when it is a plain token, else a new one), where its time went, and who sent it once access
 * control has said (allowed or denied).
 */
final class RequestTrace {
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** A client's id is taken as it is only when it cannot forge a log line or carry much. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final long startedNanos = System.nanoTime();
    private final String id;
    private final RequestTimings timings = new RequestTimings();
    private volatile String user;

    RequestTrace(HttpServerRequest request) {
        String given = request.getHeader(REQUEST_ID_HEADER);
        this.id = given != null && CLIENT_ID.matcher(given).matches() ? given : newId();
    }

    private static String newId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    long startedNanos() {
        return startedNanos;
    }

    String id() {
        return id;
    }

    RequestTimings timings() {
        return timings;
    }

    /** The caller's name (a user, or {@code oidc:<subject>}); null for nobody or before access control has said. */
    String user() {
        return user;
    }

    void identified(Principal principal) {
        if (!principal.isAnonymous()) {
            user = principal.subject();
        }
    }
}
