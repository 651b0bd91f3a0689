package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.regfleet.dev.auth.LocalCa;
import io.regfleet.registry.PostgresTestResource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTPS on the API from PEM files, HTTP/2 where the client offers it, a rotated certificate served without a restart. */
@QuarkusTest
@TestProfile(TlsApiTest.Tls.class)
@QuarkusTestResource(PostgresTestResource.class)
class TlsApiTest {
    private static final Duration ROTATION_DEADLINE = Duration.ofSeconds(60);
    static LocalCa ca;
    static Path dir;
    static Path caCertificate;
    static LocalCa.ServerCertificate first;

    public static class Tls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                dir = Files.createTempDirectory("regfleet-tls");
                ca = LocalCa.create("regfleet test CA", Duration.ofDays(1));
                caCertificate = ca.writeCertificate(dir.resolve("ca.crt"));
                first = ca.issue(dir, "localhost", "127.0.0.1");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return Map.of("regfleet.tls.cert-file", first.certificate().toString(),
                    "regfleet.tls.key-file", first.key().toString(),
                    "regfleet.tls.reload-check", "100MS");
        }
    }

    private static int port() {
        return ApiTestBase.apiPort0();
    }

    @Test
    void servesHttpsAndHttp2ToClientsThatOfferIt() throws Exception {
        for (HttpClient.Version version : HttpClient.Version.values()) {
            HttpClient client = HttpClient.newBuilder().sslContext(trustingTheCa()).version(version).build();
            HttpResponse<String> base = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, base.statusCode());
            assertEquals(version, base.version());
            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + port() + "/v2/no/such/manifests/latest")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            assertTrue(missing.body().contains("MANIFEST_UNKNOWN") || missing.body().contains("NAME_UNKNOWN"), missing.body());
            assertEquals(String.valueOf(missing.body().length()), missing.headers().firstValue("Content-Length").orElse("(none)"));
        }
    }

    @Test
    void aRotatedCertificateIsServedWithoutARestart() throws Exception {
        BigInteger before = presentedSerial();
        LocalCa.ServerCertificate rotated = ca.issue(dir, "localhost", "127.0.0.1");
        long deadline = System.nanoTime() + ROTATION_DEADLINE.toNanos();
        BigInteger served = before;
        while (!served.equals(rotated.serial()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            served = presentedSerial();
        }
        assertEquals(rotated.serial(), served, "the rotated certificate is served to new connections");
    }

    @Test
    void theManagementPortStaysPlainHttp() throws Exception {
        int management = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + management + "/q/health/live")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, live.statusCode());
    }

    /** The serial number of the certificate a new TLS connection is given. */
    private static BigInteger presentedSerial() throws Exception {
        try (SSLSocket socket = (SSLSocket) trustingTheCa().getSocketFactory().createSocket("127.0.0.1", port())) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static SSLContext trustingTheCa() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCertificate)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
