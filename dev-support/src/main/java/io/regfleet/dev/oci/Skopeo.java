package io.regfleet.dev.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * skopeo, the real OCI client, run as a process with signature policy checks off ({@code --insecure-policy}: the
 * images of tests are unsigned). A failure carries skopeo's output.
 */
public final class Skopeo {
    private static final long TIMEOUT_MINUTES = 5;

    private Skopeo() {
    }

    /** Runs {@code skopeo --insecure-policy ARGS} in {@code workdir} and returns its output (stdout and stderr), trimmed. */
    public static String run(Path workdir, String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("failed (" + process.exitValue() + "): " + String.join(" ", command)
                        + "\n" + output);
            }
            return output.trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run skopeo (is it installed? apt-get install -y skopeo)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
