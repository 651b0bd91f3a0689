package io.regfleet.dev;

import io.regfleet.fleet.PodContract;
import io.regfleet.fleet.PodSetting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One registry-runtime JVM started from the built application ({@code registry-runtime/target/quarkus-app}),
 * configured with system properties, on 127.0.0.1. Used by {@code make run}, the e2e suite and the local fleet.
 */
public final class RegistryProcess implements AutoCloseable {
    private final Launch launch;
    private Process process;

    /** What the builder gathered: how the JVM is started. */
    private record Launch(Path application, Map<String, String> properties, int port, int managementPort, Path log,
                          boolean inheritIo) {
    }

    private RegistryProcess(Launch launch) {
        this.launch = launch;
    }

    /** The system property naming the runnable jar (a launcher setting, not one of the registry's). */
    public static final String RUNTIME_JAR_PROPERTY = "regfleet.runtime.jar";

    /** The runnable jar: system property {@code regfleet.runtime.jar}, else the build output next to this checkout. */
    public static Path defaultApplication() {
        String configured = System.getProperty(RUNTIME_JAR_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("registry-runtime/target/quarkus-app/quarkus-run.jar");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("registry-runtime is not built: run ./mvnw -pl registry-runtime -am package first");
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Path application;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private int port = 0;
        private int managementPort = 0;
        private Path log;
        private boolean inheritIo;

        public Builder application(Path jar) {
            this.application = jar;
            return this;
        }

        public Builder property(String key, Object value) {
            properties.put(key, String.valueOf(value));
            return this;
        }

        public Builder properties(Map<String, String> values) {
            properties.putAll(values);
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder managementPort(int port) {
            this.managementPort = port;
            return this;
        }

        public Builder log(Path file) {
            this.log = file;
            return this;
        }

        /** Share this process's terminal (make run) instead of a log file. */
        public Builder inheritIo() {
            this.inheritIo = true;
            return this;
        }

        public RegistryProcess build() {
            try {
                Path logFile = log != null ? log : Files.createTempFile("regfleet-runtime", ".log");
                return new RegistryProcess(new Launch(application != null ? application : defaultApplication(),
                        Map.copyOf(properties), port != 0 ? port : FreePorts.next(),
                        managementPort != 0 ? managementPort : FreePorts.next(), logFile, inheritIo));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public synchronized RegistryProcess start() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-opens");
        command.add("java.base/java.lang=ALL-UNNAMED");
        Map<String, String> all = new LinkedHashMap<>();
        all.put(PodSetting.HTTP_HOST.property(), "127.0.0.1");
        all.put(PodSetting.HTTP_PORT.property(), Integer.toString(launch.port()));
        all.put(PodSetting.MANAGEMENT_HOST.property(), "127.0.0.1");
        all.put(PodSetting.MANAGEMENT_PORT.property(), Integer.toString(launch.managementPort()));
        all.putAll(launch.properties());
        all.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(launch.application().toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        if (launch.inheritIo()) {
            builder.inheritIO();
        } else {
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(launch.log().toFile()));
        }
        try {
            process = builder.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + launch.application(), e);
        }
    }

    /** Waits until the management port answers readiness (the database reachable, migrations done). */
    public RegistryProcess awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException("registry exited early; log: " + logTail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(managementUrl() + PodContract.READINESS_PATH))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException ignored) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException("registry not ready within " + timeout + "; log: " + logTail());
    }

    public String url() {
        return "http://127.0.0.1:" + launch.port();
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + launch.managementPort();
    }

    public int port() {
        return launch.port();
    }

    public int managementPort() {
        return launch.managementPort();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path log() {
        return launch.log();
    }

    /** Waits for a process that ends by itself (a verify, an import, a migration) and returns its exit status. */
    public int awaitExit(Duration timeout) {
        if (!waitFor((int) Math.max(1, timeout.toSeconds()))) {
            throw new IllegalStateException("still running after " + timeout + "; log: " + logTail());
        }
        return process.exitValue();
    }

    /** kill -9: no shutdown hook, no pool close; what a crashed pod looks like to PostgreSQL. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(10);
        }
    }

    /** SIGTERM and wait (a graceful stop). */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(20)) {
                process.destroyForcibly();
                waitFor(10);
            }
        }
    }

    /** SIGSTOP / SIGCONT: a process that stops answering without dying. */
    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String logTail() {
        try {
            if (launch.inheritIo() || !Files.exists(launch.log())) {
                return "(terminal)";
            }
            List<String> lines = Files.readAllLines(launch.log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
