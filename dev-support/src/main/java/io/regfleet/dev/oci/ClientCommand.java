package io.regfleet.dev.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real OCI client (skopeo, podman) run as a process; a failure carries the client's output. */
public final class ClientCommand {
    private static final long TIMEOUT_MINUTES = 5;

    private ClientCommand() {
    }

    /** Runs {@code command} in {@code workdir} and returns its output (stdout and stderr), trimmed. */
    public static String run(Path workdir, List<String> command, String installHint) {
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
            throw new UncheckedIOException("cannot run " + command.getFirst() + " (is it installed? " + installHint + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
