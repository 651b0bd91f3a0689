package io.regfleet.dev;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3 endpoint for tests and local runs: S3Proxy (the {@code jar-with-dependencies}, found through the system
 * property {@code s3proxy.jar}) as a child process on 127.0.0.1 and a free port, storing objects in a temporary
 * folder with the filesystem provider. A child process because S3Proxy's libraries (Jackson, Jetty) clash with
 * Quarkus'. Requests are authenticated (AWS signature v2 or v4) with {@link #accessKey()} and {@link #secretKey()}.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String JAR_PROPERTY = "s3proxy.jar";
    private static final String ACCESS_KEY = "regfleet-test";
    private static final String SECRET_KEY = "regfleet-test-secret";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final Path folder;
    private final URI endpoint;
    private final Process process;
    private final Thread killOnExit = new Thread(this::destroyProcess, "s3proxy-kill-on-exit");

    private S3ProxyServer(Path folder, URI endpoint, Process process) {
        this.folder = folder;
        this.endpoint = endpoint;
        this.process = process;
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts S3Proxy with one bucket, for a test that needs just that. */
    public static S3ProxyServer withBucket(String bucket) {
        S3ProxyServer server = start();
        server.createBucket(bucket);
        return server;
    }

    /** Starts S3Proxy and returns once it answers HTTP requests. */
    public static S3ProxyServer start() {
        Path jar = locateJar();
        Path folder;
        try {
            folder = Files.createTempDirectory("regfleet-s3proxy");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for S3Proxy", e);
        }
        int port = FreePorts.next();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Process process;
        try {
            Path data = Files.createDirectories(folder.resolve("data"));
            Path properties = writeProperties(folder.resolve("s3proxy.properties"), endpoint, data);
            process = new ProcessBuilder(List.of(javaCommand(), "-Xmx512m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--properties", properties.toString()))
                    .directory(folder.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log(folder).toFile())
                    .start();
        } catch (IOException e) {
            deleteRecursively(folder);
            throw new UncheckedIOException("cannot start S3Proxy from " + jar, e);
        }
        S3ProxyServer server = new S3ProxyServer(folder, endpoint, process);
        try {
            server.awaitAnswer();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /** The region S3Proxy reports; any region signs valid requests. */
    public String region() {
        return "us-east-1";
    }

    /** Creates a bucket (a signed PUT, AWS signature v2). */
    public void createBucket(String name) {
        String date = HTTP_DATE.format(Instant.now());
        String signature = signV2("PUT\n\n\n" + date + "\n/" + name);
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/" + name).toURL().openConnection();
            connection.setRequestMethod("PUT");
            connection.setRequestProperty("Date", date);
            connection.setRequestProperty("Authorization", "AWS " + ACCESS_KEY + ":" + signature);
            connection.setFixedLengthStreamingMode(0);
            connection.setDoOutput(true);
            connection.getOutputStream().close();
            int status = connection.getResponseCode();
            if (status != 200) {
                var error = connection.getErrorStream();
                String body = error == null ? "" : new String(error.readAllBytes(), StandardCharsets.UTF_8);
                throw new IllegalStateException("S3Proxy refused to create bucket " + name + ": HTTP " + status + " " + body);
            }
            connection.disconnect();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create bucket " + name, e);
        }
    }

    /** Stops S3Proxy (and any process it started) and deletes its objects. */
    @Override
    public void close() {
        destroyProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs or ran
        }
        deleteRecursively(folder);
    }

    private void destroyProcess() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitAnswer() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw startFailure("S3Proxy exited with status " + process.exitValue());
            }
            if (answers()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw startFailure("interrupted while waiting for S3Proxy");
            }
        }
        throw startFailure("S3Proxy did not answer on " + endpoint + " within " + START_TIMEOUT.toSeconds() + " s");
    }

    /** Any HTTP answer will do (an anonymous request gets 403): the server is up. */
    private boolean answers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(1000);
            connection.getResponseCode();
            connection.disconnect();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private IllegalStateException startFailure(String message) {
        return new IllegalStateException(message + "; last lines of " + log(folder) + ":\n" + logTail(40));
    }

    private String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log(folder), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Path log(Path folder) {
        return folder.resolve("s3proxy.log");
    }

    private static Path locateJar() {
        String location = System.getProperty(JAR_PROPERTY);
        if (location == null || location.isBlank()) {
            throw new IllegalStateException("system property " + JAR_PROPERTY + " is not set: it names the S3Proxy "
                    + "jar-with-dependencies (surefire sets it to target/s3proxy/s3proxy.jar; run the tests through Maven)");
        }
        Path jar = Path.of(location);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the S3Proxy jar " + jar.toAbsolutePath() + " (system property "
                    + JAR_PROPERTY + ") does not exist: the build copies it in the generate-test-resources phase");
        }
        return jar;
    }

    private static Path writeProperties(Path file, URI endpoint, Path data) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", endpoint.toString());
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", ACCESS_KEY);
        properties.setProperty("s3proxy.credential", SECRET_KEY);
        properties.setProperty("jclouds.provider", "filesystem");
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        properties.setProperty("jclouds.filesystem.basedir", data.toString());
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "S3Proxy for Regfleet tests");
        }
        return file;
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String signV2(String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder, e);
        }
    }
}
