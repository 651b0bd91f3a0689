package io.regfleet.registry.http;

import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.InvalidDigestException;
import io.regfleet.registry.oci.RegistryException;

import java.util.Map;

/** Digests from URLs and query parameters: malformed or unsupported ones are DIGEST_INVALID (400). */
final class Digests {
    private Digests() {
    }

    static Digest parse(String text) {
        try {
            return Digest.parse(text);
        } catch (InvalidDigestException e) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid or unsupported digest",
                    Map.of("digest", String.valueOf(text)));
        }
    }
}
