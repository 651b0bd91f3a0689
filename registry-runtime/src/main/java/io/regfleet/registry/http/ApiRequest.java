package io.regfleet.registry.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

import java.io.InputStream;

/**
 * What an endpoint handler sees of a request: no event-loop types it could misuse. {@code origin} is the scheme and
 * authority the client addressed ({@code https://registry.example.com}), for URLs we send back.
 */
public record ApiRequest(HttpMethod method, Endpoint endpoint, MultiMap headers, MultiMap params, InputStream body,
                         String origin) {

    /** The same request with other query parameters. */
    public ApiRequest withParams(MultiMap otherParams) {
        return new ApiRequest(method, endpoint, headers, otherParams, body, origin);
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String param(String name) {
        return params.get(name);
    }

    /** The Content-Length, or -1 when the request does not say. */
    public long contentLength() {
        String value = headers.get("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public boolean isHead() {
        return method == HttpMethod.HEAD;
    }
}
