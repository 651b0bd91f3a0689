package io.regfleet.registry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.regfleet.registry.PostgresTestResource;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The request log as a machine reads it: every API request (pushes and pulls, a 404, 401s with access control on)
 * is one JSON object with its fields, and the whole log, at the tests' DEBUG level, holds none of the secrets that
 * passed through the registry: passwords, Basic credentials, bearer tokens, the database password, the S3 secret key
 * and the agent token.
 */
@QuarkusTest
@TestProfile(RequestLogApiTest.JsonLogToFile.class)
@QuarkusTestResource(PostgresTestResource.class)
class RequestLogApiTest extends ApiTestBase {
    /** Appended to by each run: lines are told apart by their random request ids. */
    private static final Path LOG = Path.of("target", "request-log-api-test.json.log").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = AuthFixture.PASSWORDS.get("admin");
    private static final String READER_PASSWORD = AuthFixture.PASSWORDS.get("reader");
    private static final String[] FIELDS = {"method", "route", "status", "bytesIn", "bytesOut", "durationMs", "databaseMs",
            "storageMs", "requestId", "remoteAddress"};

    /** Access control on, a database role and S3 keys of this test's own, and the log in JSON in a file the test reads. */
    public static class JsonLogToFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(AuthFixture.get().config());
            config.put("quarkus.log.file.enabled", "true");
            config.put("quarkus.log.file.path", LOG.toString());
            config.put("quarkus.log.file.json.enabled", "true");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SecretStoresTestResource.class));
        }
    }

    /** Each request's id (sent as X-Request-Id) and the status the client saw, in order. */
    private final Map<String, Integer> sent = new LinkedHashMap<>();

    private final Filter tagging = (request, response, context) -> {
        String id = "req-" + sent.size() + "-" + UUID.randomUUID().toString().substring(0, 8);
        request.header("X-Request-Id", id);
        Response reply = context.next(request, response);
        assertEquals(id, reply.getHeader("X-Request-Id"), "the reply names the request's id");
        sent.put(id, reply.statusCode());
        return reply;
    };

    @AfterEach
    void untag() {
        RestAssured.replaceFiltersWith(List.of());
    }

    @Test
    void everyRequestIsOneJsonObjectWithItsFieldsAndNoSecretIsEverLogged() {
        RestAssured.filters(tagging);
        String repo = Oci.repo();
        String basic = Tokens.basic("admin", ADMIN_PASSWORD);
        String wrongPassword = "wrong-" + UUID.randomUUID();
        String forgedToken = "forged." + UUID.randomUUID() + ".token";

        given().get("/v2/").then().statusCode(401);
        given().header("Authorization", Tokens.bearer(forgedToken)).get("/v2/").then().statusCode(401);
        given().header("Authorization", Tokens.basic("admin", wrongPassword))
                .queryParam("service", AuthFixture.SERVICE).get("/token").then().statusCode(401);
        String token = given().header("Authorization", basic).queryParam("service", AuthFixture.SERVICE)
                .queryParam("scope", "repository:" + repo + ":pull,push").get("/token")
                .then().statusCode(200).extract().path("token");
        byte[] layer = Oci.random(64 * 1024);
        String layerDigest = Tokens.as(token, () -> Oci.pushBlob(repo, layer));
        Tokens.as(token, () -> Oci.pushImage(repo, "v1"));
        Tokens.as(token, () -> given().get("/v2/{name}/manifests/v1", repo).then().statusCode(200));
        Tokens.as(token, () -> given().get("/v2/{name}/blobs/{digest}", repo, layerDigest).then().statusCode(200));
        Tokens.as(token, () -> given().get("/v2/{name}/manifests/missing", repo).then().statusCode(404));
        String readerToken = Tokens.of("reader", READER_PASSWORD, "repository:" + repo + ":pull,push");
        Tokens.as(readerToken, () -> given().post("/v2/{name}/blobs/uploads/", repo).then().statusCode(403));

        Map<String, JsonNode> lines = requestLines(sent.keySet());
        sent.forEach((id, status) -> {
            JsonNode fields = lines.get(id);
            for (String field : FIELDS) {
                assertTrue(fields.hasNonNull(field), "request " + id + " logged without " + field + ": " + fields);
            }
            assertEquals(status, fields.get("status").asInt(), "the status the client saw, for " + id);
            assertEquals("127.0.0.1", fields.get("remoteAddress").asText());
            assertNull(fields.get("aborted"), "a reply that went out whole: " + fields);
        });
        List<JsonNode> all = List.copyOf(lines.values());
        JsonNode challenged = all.get(0);
        assertEquals("GET", challenged.get("method").asText());
        assertEquals("/v2/", challenged.get("route").asText());
        assertNull(challenged.get("user"), "nobody has said who they are");
        assertEquals("/token", all.get(2).get("route").asText());
        assertNull(all.get(2).get("user"), "a wrong password names nobody");
        assertEquals("/token", all.get(3).get("route").asText());
        assertEquals("admin", all.get(3).get("user").asText(), "the token's holder");

        JsonNode blobPush = only(all, "POST", "/v2/{name}/blobs/uploads/", repo, 201, layer.length);
        assertEquals("admin", blobPush.get("user").asText());
        assertTrue(blobPush.get("storageMs").asDouble() > 0, "a blob written to S3 took storage time: " + blobPush);
        assertTrue(blobPush.get("databaseMs").asDouble() > 0, "an upload is recorded in the database: " + blobPush);
        JsonNode blobPull = only(all, "GET", "/v2/{name}/blobs/{digest}", repo, 200, 0);
        assertEquals(layer.length, blobPull.get("bytesOut").asLong());
        assertTrue(blobPull.get("storageMs").asDouble() > 0, "a blob read from S3 took storage time: " + blobPull);
        JsonNode manifestPush = only(all, "PUT", "/v2/{name}/manifests/{reference}", repo, 201, -1);
        assertTrue(manifestPush.get("databaseMs").asDouble() > 0, "a manifest is stored in the database: " + manifestPush);
        assertEquals("admin", only(all, "GET", "/v2/{name}/manifests/{reference}", repo, 404, 0).get("user").asText());
        assertEquals("reader", only(all, "POST", "/v2/{name}/blobs/uploads/", repo, 403, 0).get("user").asText(),
                "a denied caller is named");

        String log = read();
        assertTrue(log.contains("registry API listening"), "the log holds the start-up too");
        Config config = ConfigProvider.getConfig();
        String dbPassword = config.getValue("quarkus.datasource.password", String.class);
        String s3Secret = config.getValue("regfleet.storage.s3.secret-access-key", String.class);
        assertTrue(dbPassword.startsWith("db-secret-") && s3Secret.length() > 8, "the test's own secrets are in use");
        Map<String, String> secrets = Map.of(
                "the admin's password", ADMIN_PASSWORD,
                "the reader's password", READER_PASSWORD,
                "the reader's token", readerToken,
                "a wrong password", wrongPassword,
                "Basic credentials", basic.substring("Basic ".length()),
                "a bearer token", token,
                "a forged bearer token", forgedToken,
                "the database password", dbPassword,
                "the S3 secret key", s3Secret,
                "the agent token", PostgresTestResource.AGENT_TOKEN);
        secrets.forEach((what, secret) -> assertFalse(log.contains(secret), what + " appears in the log"));
        assertFalse(log.contains(Base64.getEncoder().encodeToString(("admin:" + wrongPassword).getBytes(StandardCharsets.UTF_8))),
                "Basic credentials with a wrong password appear in the log");
    }

    @Test
    void aDownloadTheClientLeavesIsLoggedAsAborted() throws Exception {
        String repo = Oci.repo();
        String token = Tokens.of("admin", ADMIN_PASSWORD, "repository:" + repo + ":pull,push");
        byte[] blob = Oci.random(16 * 1024 * 1024);
        String digest = Tokens.as(token, () -> Oci.pushBlob(repo, blob));
        String id = "aborted-" + UUID.randomUUID();
        try (Socket socket = new Socket("127.0.0.1", apiPort0())) {
            socket.setReceiveBufferSize(4096);
            socket.getOutputStream().write(("GET /v2/" + repo + "/blobs/" + digest + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + token + "\r\nX-Request-Id: " + id + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] start = socket.getInputStream().readNBytes(64 * 1024);
            assertTrue(new String(start, 0, 12, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
        } // closed with most of the blob unsent

        JsonNode line = requestLines(List.of(id)).get(id);
        assertEquals("true", line.path("aborted").asText(), "the line says the client left: " + line);
        assertEquals(200, line.get("status").asInt());
        assertTrue(line.get("bytesOut").asLong() < blob.length, "not the whole blob went out: " + line);
        assertEquals("admin", line.get("user").asText());
    }

    /** The one request line with this method, route, repository and status; {@code bytesIn} checked unless negative. */
    private static JsonNode only(List<JsonNode> lines, String method, String route, String repo, int status, long bytesIn) {
        List<JsonNode> found = lines.stream().filter(l -> l.get("method").asText().equals(method)
                && l.get("route").asText().equals(route) && l.get("status").asInt() == status
                && repo.equals(l.path("repository").asText(null))
                && (bytesIn < 0 || l.get("bytesIn").asLong() == bytesIn)).toList();
        if (found.isEmpty()) {
            fail("no " + method + " " + route + " " + status + " of " + repo + " among " + lines);
        }
        return found.getFirst();
    }

    /**
     * The request log's fields (the JSON line's {@code mdc}) by request id, once every id is there: the line is written
     * when the reply has gone out, so it may follow the client's last read by a moment.
     */
    private static Map<String, JsonNode> requestLines(Iterable<String> ids) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            List<String> wrong = new ArrayList<>();
            String content = read();
            // the last line may be half written yet
            for (String line : content.substring(0, content.lastIndexOf('\n') + 1).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = parse(line);
                if (node == null) {
                    wrong.add(line);
                } else if ("io.regfleet.request".equals(node.path("loggerName").asText())) {
                    JsonNode fields = node.get("mdc");
                    assertNotNull(fields, "a request line without its fields: " + line);
                    assertTrue(node.get("message").asText().startsWith(fields.get("method").asText() + " "
                            + fields.get("route").asText() + " " + fields.get("status").asText()), line);
                    assertNull(byId.put(fields.get("requestId").asText(), fields), "two lines for one request: " + line);
                }
            }
            assertEquals(List.of(), wrong, "log lines that are not one JSON object each");
            boolean complete = true;
            for (String id : ids) {
                complete &= byId.containsKey(id);
            }
            if (complete) {
                Map<String, JsonNode> ordered = new LinkedHashMap<>();
                ids.forEach(id -> ordered.put(id, byId.get(id)));
                return ordered;
            }
            if (Instant.now().isAfter(deadline)) {
                fail("requests " + ids + " not all logged: " + byId.keySet());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String read() {
        try {
            return Files.exists(LOG) ? Files.readString(LOG) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
