package io.regfleet.fleet.local;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} without a display: loads a page, lets its scripts run (virtual time, so timers and
 * fetches complete without the test sleeping) and returns the DOM they left. Without a sandbox: CI runs as root.
 */
final class HeadlessChromium {
    private static final String BINARY = "chromium";

    private HeadlessChromium() {
    }

    static String dumpDom(URI page) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path stderr = Files.createTempFile("chromium", ".log");
        Process chromium = new ProcessBuilder(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--virtual-time-budget=8000", "--dump-dom", page.toString()))
                .redirectError(stderr.toFile()).start();
        String dom = new String(chromium.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!chromium.waitFor(2, TimeUnit.MINUTES)) {
            chromium.destroyForcibly();
            throw new IllegalStateException("chromium did not exit");
        }
        if (chromium.exitValue() != 0 || dom.isBlank()) {
            throw new IllegalStateException("chromium exited " + chromium.exitValue() + ": " + Files.readString(stderr));
        }
        return dom;
    }
}
