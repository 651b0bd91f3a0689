package io.regfleet.dev;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Replies of the small JDK HTTP servers tests stand up in place of a peer (a pod agent, an OIDC issuer, a registry). */
public final class JsonReplies {
    private JsonReplies() {
    }

    /** Sends {@code json} with {@code status} and its length, and closes the exchange. */
    public static void send(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code json} with {@code status} and its length, and closes the exchange. */
    public static void send(HttpExchange exchange, int status, byte[] json) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        exchange.getResponseBody().write(json);
        exchange.close();
    }
}
