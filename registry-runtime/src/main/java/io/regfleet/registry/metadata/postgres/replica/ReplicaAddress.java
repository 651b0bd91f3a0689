package io.regfleet.registry.metadata.postgres.replica;

import java.util.ArrayList;
import java.util.List;

/** A read replica's {@code host:port}, as {@code regfleet.db.read-replicas} lists them (port: the primary's). */
public record ReplicaAddress(String host, int port) {
    public ReplicaAddress {
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a host and port: " + host + ":" + port);
        }
    }

    /**
     * Parses a comma-separated list of {@code host[:port]} ({@code [v6]:port} for IPv6 addresses).
     *
     * @throws IllegalArgumentException naming the entry that is not one
     */
    public static List<ReplicaAddress> parseList(String list, int defaultPort) {
        List<ReplicaAddress> addresses = new ArrayList<>();
        for (String entry : list.split(",")) {
            String text = entry.strip();
            if (!text.isEmpty()) {
                addresses.add(parse(text, defaultPort));
            }
        }
        return addresses;
    }

    private static ReplicaAddress parse(String text, int defaultPort) {
        int close = text.startsWith("[") ? text.indexOf(']') : -1;
        int colon = close >= 0 ? text.indexOf(':', close) : text.lastIndexOf(':');
        if ((close < 0 && text.indexOf(':') != colon) || (close < 0 && text.startsWith("["))) {
            throw new IllegalArgumentException("regfleet.db.read-replicas: not host[:port]: " + text);
        }
        String host = close >= 0 ? text.substring(1, close) : colon < 0 ? text : text.substring(0, colon);
        try {
            int port = colon < 0 ? defaultPort : Integer.parseInt(text.substring(colon + 1));
            return new ReplicaAddress(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("regfleet.db.read-replicas: not host[:port]: " + text, e);
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
