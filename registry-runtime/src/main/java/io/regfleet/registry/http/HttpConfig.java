package io.regfleet.registry.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The registry API's own HTTP server (prefix {@code regfleet.http}). The API does not run on Quarkus' HTTP server:
 * it needs to answer the HTTP parser's own refusals (a bad request line, a URI or headers too long) with the OCI
 * error body, which only a server of its own can do.
 */
@ConfigMapping(prefix = "regfleet.http")
public interface HttpConfig {

    /** Interface the API listens on. Env: REGFLEET_HTTP_HOST. */
    @WithDefault("0.0.0.0")
    String host();

    /** Port of the API (0: any free port, for tests). Env: REGFLEET_HTTP_PORT. */
    @WithDefault("5000")
    int port();

    /** A connection with no traffic for this long is closed. Env: REGFLEET_HTTP_IDLE_TIMEOUT. */
    @WithDefault("300S")
    Duration idleTimeout();

    /** Longest request line (method, URI, version) accepted; longer answers 414. Env: REGFLEET_HTTP_MAX_REQUEST_LINE. */
    @WithDefault("8192")
    int maxRequestLine();

    /** Largest total size of the request headers; larger answers 431. Env: REGFLEET_HTTP_MAX_HEADER_SIZE. */
    @WithDefault("32768")
    int maxHeaderSize();
}
