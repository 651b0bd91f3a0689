package io.regfleet.registry.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest, {@code algorithm:hex}. Only the algorithms we can verify are accepted (sha256, sha512):
 * a digest we could not check is refused rather than trusted.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");
    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    public Digest {
        if (!isValid(algorithm, hex)) {
            throw new InvalidDigestException(algorithm + ":" + hex);
        }
    }

    /** Parses {@code sha256:...}; throws {@link InvalidDigestException} for anything else. */
    public static Digest parse(String text) {
        if (text == null || !GRAMMAR.matcher(text).matches()) {
            throw new InvalidDigestException(text);
        }
        int colon = text.indexOf(':');
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** True when the text has the digest grammar, whether or not we support its algorithm. */
    public static boolean looksLikeDigest(String text) {
        return text != null && GRAMMAR.matcher(text).matches();
    }

    public static Digest sha256Of(byte[] content) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(content)));
    }

    public static MessageDigest newSha256() {
        return newMessageDigest("sha256");
    }

    /** A fresh hasher for this digest's algorithm. */
    public MessageDigest newHasher() {
        return newMessageDigest(algorithm);
    }

    /** The digest of {@code content} under this digest's algorithm equals this digest. */
    public boolean matches(byte[] content) {
        return MessageDigest.isEqual(newHasher().digest(content), HexFormat.of().parseHex(hex));
    }

    public boolean matches(MessageDigest finishedHasher) {
        return MessageDigest.isEqual(finishedHasher.digest(), HexFormat.of().parseHex(hex));
    }

    private static boolean isValid(String algorithm, String hex) {
        if (algorithm == null || hex == null) {
            return false;
        }
        return switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> false;
        };
    }

    private static MessageDigest newMessageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new InvalidDigestException(algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
