package io.regfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.dev.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus (the Debian package's {@code /usr/bin/prometheus}) on 127.0.0.1 and a free port, with its data in
 * a temporary folder, and its query API.
 */
record PrometheusServer(Process process, URI base, Path log) implements AutoCloseable {
    static final String BINARY = "prometheus";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Starts it on {@code config} (a prometheus.yml) and waits until it is ready. */
    static PrometheusServer start(Path config, Path dir) throws IOException, InterruptedException {
        int port = FreePorts.next();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(BINARY, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
        for (int i = 0; i < 300; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + Files.readString(log));
            }
            try {
                if (Http.CLIENT.send(HttpRequest.newBuilder(server.base.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        server.close();
        throw new IllegalStateException("prometheus did not become ready: " + Files.readString(log));
    }

    /** The series an instant query returns (an error of the query fails with Prometheus' message). */
    List<JsonNode> query(String promql) {
        try {
            HttpResponse<String> response = Http.CLIENT.send(HttpRequest.newBuilder(base.resolve("/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (!"success".equals(body.path("status").asText())) {
                throw new IllegalArgumentException("query failed: " + promql + ": " + body.path("error").asText());
            }
            return body.at("/data/result").valueStream().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The targets' health, for a failure message. */
    String targets() {
        try {
            return Http.CLIENT.send(HttpRequest.newBuilder(base.resolve("/api/v1/targets")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            return "(targets unavailable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
