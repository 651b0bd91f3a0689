package io.regfleet.registry.oci;

/** A digest that is malformed or uses an algorithm we cannot verify: answered as DIGEST_INVALID (400). */
public class InvalidDigestException extends IllegalArgumentException {
    public InvalidDigestException(String digest) {
        super("invalid or unsupported digest: " + digest);
    }
}
