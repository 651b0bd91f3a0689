package io.regfleet.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** skopeo, the image mover: copies between OCI layouts and registries without a daemon. */
public final class Skopeo {
    private Skopeo() {
    }

    /** Copies an image to {@code docker://destination} and returns the digest of the manifest pushed. */
    public static String push(String source, String destination, ImageRegistry registry) {
        try {
            Path digestFile = Files.createTempFile("regfleet-digest", ".txt");
            try {
                List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--digestfile", digestFile.toString()));
                if (registry.plainHttp()) {
                    command.add("--dest-tls-verify=false");
                }
                command.addAll(List.of(source, "docker://" + destination));
                Command.output(command);
                return Files.readString(digestFile).trim();
            } finally {
                Files.deleteIfExists(digestFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
