package io.regfleet.e2e;

import io.regfleet.dev.FreePorts;
import io.regfleet.dev.oci.OciLayoutBuilder;
import io.regfleet.dev.oci.Skopeo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code make run} starts (io.regfleet.dev.LocalRegistry: embedded PostgreSQL + the registry) serves a skopeo
 * push and pull, and what was pushed is still there after a stop and a start.
 */
class LocalRegistryTest {

    @Test
    void servesSkopeoAndKeepsDataAcrossRestarts(@TempDir Path work) throws Exception {
        int port = FreePorts.next();
        int management = FreePorts.next();
        int postgresPort = FreePorts.next();
        Path home = work.resolve("home");
        Path layout = work.resolve("layout");
        String manifest = OciLayoutBuilder.create(layout).image("v1", 64 * OciLayoutBuilder.KIB).digest();
        String target = "docker://127.0.0.1:" + port + "/local/smoke:v1";

        Process first = launch(home, port, management, postgresPort, work.resolve("first.log"));
        try {
            awaitRegistry(port, first, work.resolve("first.log"));
            Skopeo.run(work, "copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + layout + ":v1", target);
        } finally {
            stop(first);
        }
        Process second = launch(home, port, management, postgresPort, work.resolve("second.log"));
        try {
            awaitRegistry(port, second, work.resolve("second.log"));
            Skopeo.run(work, "copy", "--preserve-digests", "--src-tls-verify=false", target,
                    "oci:" + work.resolve("pulled") + ":v1");
            String raw = Skopeo.run(work, "inspect", "--raw", "--tls-verify=false", target);
            assertEquals(manifest, Http.sha256(raw.getBytes()));
        } finally {
            stop(second);
        }
    }

    private static Process launch(Path home, int port, int management, int postgresPort, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Dregfleet.home=" + home, "-Dregfleet.port=" + port, "-Dregfleet.management.port=" + management,
                "-Dregfleet.postgres.port=" + postgresPort,
                "-Dregfleet.runtime.jar=" + System.getProperty("regfleet.runtime.jar"),
                "-cp", System.getProperty("java.class.path"), "io.regfleet.dev.LocalRegistry"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitRegistry(int port, Process process, Path log) throws Exception {
        for (int i = 0; i < 600; i++) {
            assertTrue(process.isAlive(), () -> "launcher exited: " + read(log));
            try {
                HttpResponse<byte[]> r = Http.send("GET", "http://127.0.0.1:" + port + "/v2/", null);
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("registry did not come up: " + read(log));
    }

    /** SIGTERM, as Ctrl-C does: the launcher's shutdown hook stops the registry and PostgreSQL. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not stop within 60 s");
        }
    }

    private static String read(Path log) {
        try {
            return java.nio.file.Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
