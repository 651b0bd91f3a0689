package io.regfleet.registry.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

import java.util.regex.Pattern;

/**
 * The scheme and authority a client addressed ({@code Host}, or {@code :authority} in HTTP/2), for the URLs we send
 * back (the token endpoint in a challenge). An authority that is not a plain host and port is not echoed: the
 * server's own address is used instead.
 */
final class Origins {
    private static final Pattern AUTHORITY = Pattern.compile("[A-Za-z0-9.\\-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:\\d{1,5})?");

    private Origins() {
    }

    static String of(HttpServerRequest request) {
        String scheme = request.isSSL() ? "https://" : "http://";
        HostAndPort authority = request.authority();
        if (authority != null) {
            String value = authority.host() + (authority.port() >= 0 ? ":" + authority.port() : "");
            if (AUTHORITY.matcher(value).matches()) {
                return scheme + value;
            }
        }
        SocketAddress local = request.localAddress();
        String host = local.hostAddress().contains(":") ? "[" + local.hostAddress() + "]" : local.hostAddress();
        return scheme + host + ":" + local.port();
    }
}
