package io.regfleet.dev.oci;

import java.util.List;

/** An image written to a layout: its manifest, config and layers (each a blob of the layout). */
public record OciImage(Descriptor manifest, Descriptor config, List<Descriptor> layers, Platform platform) {
    public OciImage {
        layers = List.copyOf(layers);
    }

    /** The manifest's digest, the image's identity in a registry. */
    public String digest() {
        return manifest.digest();
    }
}
