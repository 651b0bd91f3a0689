package io.regfleet.dev.oci;

import java.util.List;

/** An image index (a multi-platform image) written to a layout, and the images it lists. */
public record OciIndex(Descriptor descriptor, List<OciImage> images) {
    public OciIndex {
        images = List.copyOf(images);
    }

    public String digest() {
        return descriptor.digest();
    }
}
