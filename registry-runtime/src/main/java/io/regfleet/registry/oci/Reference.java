package io.regfleet.registry.oci;

import java.util.Map;
import java.util.regex.Pattern;

/** What follows {@code /manifests/}: a tag or a digest. */
public sealed interface Reference {
    Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    String text();

    record Tag(String name) implements Reference {
        public Tag {
            if (name == null || !TAG.matcher(name).matches()) {
                throw new RegistryException(ErrorCode.MANIFEST_INVALID, "invalid tag", Map.of("tag", String.valueOf(name)));
            }
        }

        @Override
        public String text() {
            return name;
        }
    }

    record ByDigest(Digest digest) implements Reference {
        @Override
        public String text() {
            return digest.toString();
        }
    }

    /** Parses a reference; a digest-shaped reference with an algorithm we cannot verify is DIGEST_INVALID. */
    static Reference parse(String text) {
        if (text != null && text.contains(":")) {
            try {
                return new ByDigest(Digest.parse(text));
            } catch (InvalidDigestException e) {
                throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid digest", Map.of("digest", text));
            }
        }
        return new Tag(text);
    }
}
