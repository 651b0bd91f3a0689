package io.regfleet.dev.oci;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * skopeo, the real OCI client, run as a process with signature policy checks off ({@code --insecure-policy}: the
 * images of tests are unsigned). A failure carries skopeo's output.
 */
public final class Skopeo {
    private Skopeo() {
    }

    /** Runs {@code skopeo --insecure-policy ARGS} in {@code workdir} and returns its output (stdout and stderr), trimmed. */
    public static String run(Path workdir, String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        return ClientCommand.run(workdir, command, "apt-get install -y skopeo");
    }
}
