package io.regfleet.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real client programs (skopeo, the shared image builder) and fails with their output. */
final class Commands {
    private Commands() {
    }

    static String run(Path workdir, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("failed (" + p.exitValue() + "): " + String.join(" ", command) + "\n" + output);
            }
            return output.trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** ../shared/bench/lib/mkimage.sh: an OCI image layout with random uncompressed layers; returns the manifest digest. */
    static String mkimage(Path layout, String tag, String... sizes) {
        Path script = Path.of(System.getProperty("regfleet.shared.dir", "../../shared"), "bench/lib/mkimage.sh");
        if (!script.toFile().canRead()) {
            throw new AssertionError("the shared image builder is missing at " + script.toAbsolutePath());
        }
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toAbsolutePath().toString(), layout.toString(), tag));
        command.addAll(List.of(sizes));
        String out = run(layout.getParent(), command);
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }
}
