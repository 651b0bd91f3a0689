package io.regfleet.registry.http;

import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

import java.util.Map;

/**
 * A request's query parameters, decoded once and checked: a malformed percent-encoding or a control character (a NUL
 * would reach PostgreSQL, which refuses it in text) or bytes that are not UTF-8 is the client's error, 400, never a 500 further down.
 */
final class QueryParameters {
    /** What the decoder puts where the percent-encoded bytes were not UTF-8. */
    private static final char REPLACEMENT = '\uFFFD';

    private QueryParameters() {
    }

    static MultiMap of(HttpServerRequest request) {
        MultiMap params;
        try {
            params = request.params();
        } catch (IllegalArgumentException e) {
            throw invalid("malformed query string");
        }
        for (Map.Entry<String, String> p : params) {
            if (hasControlCharacter(p.getKey()) || hasControlCharacter(p.getValue())) {
                throw invalid("query parameter " + printable(p.getKey()) + " contains a control character");
            }
            if (p.getKey().indexOf(REPLACEMENT) >= 0 || p.getValue().indexOf(REPLACEMENT) >= 0) {
                throw invalid("query parameter " + printable(p.getKey()) + " is not valid UTF-8");
            }
        }
        return params;
    }

    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static String printable(String name) {
        return hasControlCharacter(name) ? "(unprintable)" : "'" + (name.length() > 64 ? name.substring(0, 64) : name) + "'";
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.REQUEST_INVALID, message);
    }
}
