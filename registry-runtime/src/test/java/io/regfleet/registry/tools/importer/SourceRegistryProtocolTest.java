package io.regfleet.registry.tools.importer;

import io.regfleet.dev.JsonReplies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parts of the distribution protocol the CNCF peer of the import test does not exercise: the Bearer token flow
 * (a challenge, a token fetched from the realm with the credentials, the token kept for its scope) and a next-page
 * link to another host, which is refused rather than followed with the credentials.
 */
class SourceRegistryProtocolTest {
    private static final String TOKEN = "token-" + System.nanoTime();
    private HttpServer server;
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final List<String> tokenQueries = new ArrayList<>();
    private volatile String nextLink;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/v2/_catalog", this::catalog);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aBearerChallengeIsAnsweredWithATokenFromItsRealmKeptForItsScope() {
        SourceRegistry source = source(Optional.of(new SourceAuth.Credentials("me", "secret")));

        assertEquals(List.of("a/b", "c"), source.repositories());
        assertEquals(List.of("a/b", "c"), source.repositories());

        assertEquals(1, tokensIssued.get(), "the token is kept for its scope");
        assertEquals(List.of("service=test-registry&scope=registry%3Acatalog%3A*"), tokenQueries);
    }

    @Test
    void withoutCredentialsTheTokenIsAskedForAnonymouslyAndRefused() {
        SourceException refused = assertThrows(SourceException.class, () -> source(Optional.empty()).repositories());

        assertEquals(401, refused.status());
        assertTrue(refused.getMessage().contains("token service"), refused.getMessage());
    }

    @Test
    void aNextPageOnAnotherHostIsNotFollowed() {
        nextLink = "<http://198.51.100.7/v2/_catalog?last=c&n=2>; rel=\"next\"";

        SourceException refused = assertThrows(SourceException.class,
                () -> source(Optional.of(new SourceAuth.Credentials("me", "secret"))).repositories());

        assertTrue(refused.getMessage().contains("another host"), refused.getMessage());
    }

    private SourceRegistry source(Optional<SourceAuth.Credentials> credentials) {
        SourceHttp http = new SourceHttp(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(),
                Duration.ofSeconds(10));
        return new SourceRegistry(URI.create(base() + "/"), http, new SourceAuth(credentials, http), 100, 1 << 20);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void token(HttpExchange exchange) throws IOException {
        String basic = "Basic " + Base64.getEncoder().encodeToString("me:secret".getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, 401, "{}", null);
            return;
        }
        tokensIssued.incrementAndGet();
        tokenQueries.add(exchange.getRequestURI().getRawQuery());
        reply(exchange, 200, "{\"token\":\"" + TOKEN + "\"}", null);
    }

    private void catalog(HttpExchange exchange) throws IOException {
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + base()
                    + "/token\",service=\"test-registry\",scope=\"registry:catalog:*\"");
            reply(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}", null);
            return;
        }
        reply(exchange, 200, "{\"repositories\":[\"a/b\",\"c\"]}", nextLink);
    }

    private static void reply(HttpExchange exchange, int status, String body, String link) throws IOException {
        if (link != null) {
            exchange.getResponseHeaders().add("Link", link);
        }
        JsonReplies.send(exchange, status, body);
    }
}
