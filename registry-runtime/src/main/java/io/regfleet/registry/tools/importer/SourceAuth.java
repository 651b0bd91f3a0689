package io.regfleet.registry.tools.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers the source's challenges as registry clients do: {@code Basic} with the credentials, or {@code Bearer} with a
 * token fetched from the challenge's realm (with the credentials, if any, else anonymously) for its service and scope.
 * Tokens are kept per scope and fetched again when the source challenges once more (they expire).
 */
final class SourceAuth {
    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TOKEN_RESPONSE = 1 << 20;

    /** The credentials, or none. */
    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + ", ***]";
        }
    }

    private final Optional<Credentials> credentials;
    private final SourceHttp http;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** Set once the source asked for Basic: then every request carries it. */
    private volatile String basic;

    SourceAuth(Optional<Credentials> credentials, SourceHttp http) {
        this.credentials = credentials;
        this.http = http;
    }

    /** The Authorization header last earned for this scope, if any. */
    Optional<String> header(String scope) {
        return Optional.ofNullable(tokens.get(scope)).or(() -> Optional.ofNullable(basic));
    }

    /**
     * Earns an Authorization header for the scope from a 401's {@code WWW-Authenticate}; empty when the challenge
     * cannot be answered (no credentials for Basic, an unknown scheme).
     */
    Optional<String> answer(String challenge, String scope) {
        if (challenge == null) {
            return Optional.empty();
        }
        String scheme = challenge.trim().split("\\s+", 2)[0];
        if (scheme.equalsIgnoreCase("basic")) {
            basic = credentials.map(SourceAuth::basic).orElse(null);
            return Optional.ofNullable(basic);
        }
        if (!scheme.equalsIgnoreCase("bearer")) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher m = PARAMETER.matcher(challenge);
        while (m.find()) {
            parameters.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        }
        String realm = parameters.get("realm");
        if (realm == null) {
            return Optional.empty();
        }
        String header = "Bearer " + token(realm, parameters.get("service"), parameters.getOrDefault("scope", scope));
        tokens.put(scope, header);
        return Optional.of(header);
    }

    private String token(String realm, String service, String scope) {
        StringBuilder uri = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
        if (service != null) {
            uri.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8)).append('&');
        }
        uri.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(http.timeout()).GET();
        credentials.ifPresent(c -> request.header("Authorization", basic(c)));
        try {
            HttpResponse<byte[]> response = http.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 || response.body().length > MAX_TOKEN_RESPONSE) {
                throw new SourceException("the token service answered " + response.statusCode(), response.statusCode());
            }
            JsonNode body = JSON.readTree(response.body());
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new SourceException("the token service gave no token", response.statusCode());
            }
            return token;
        } catch (java.io.IOException e) {
            throw new SourceException("the token service did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted", e);
        }
    }

    private static String basic(Credentials c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password())
                .getBytes(StandardCharsets.UTF_8));
    }
}
