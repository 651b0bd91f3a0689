package io.regfleet.dev.oci;

/** The platform an image runs on, as its config and an index entry state it. */
public record Platform(String os, String architecture) {
    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64");
    public static final Platform LINUX_ARM64 = new Platform("linux", "arm64");
}
