package io.regfleet.images;

import java.util.List;

/**
 * Where images are pushed: {@code host[:port][/path]}. A registry on a loopback address (the local one that
 * {@code make run} starts) speaks plain HTTP; any other must speak TLS.
 */
public record ImageRegistry(String address) {
    private static final List<String> LOOPBACK = List.of("127.", "localhost", "[::1]");

    public ImageRegistry {
        if (address.isBlank() || address.contains("://")) {
            throw new IllegalArgumentException("an image registry is host[:port][/path], without a scheme: " + address);
        }
        address = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    }

    public boolean plainHttp() {
        return LOOPBACK.stream().anyMatch(address::startsWith);
    }
}
