package io.regfleet.registry.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.regfleet.registry.auth.Access;
import io.regfleet.registry.auth.AccessControl;
import io.regfleet.registry.auth.TokenDesk;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code /token}, the token endpoint clients are sent to by the challenge. {@code GET} with Basic credentials (or none,
 * for anonymous pull) and {@code scope} parameters, as docker, skopeo and podman ask; {@code offline_token=true} adds a
 * refresh token (docker login). {@code POST} with the OAuth2 form, as containerd and buildkit ask:
 * {@code grant_type=password} or {@code refresh_token}, {@code scope} separated by spaces, {@code access_type=offline}
 * for a refresh token.
 */
@Singleton
class TokenEndpoint {
    private static final int MAX_FORM = 64 * 1024;
    private static final String FORM = "application/x-www-form-urlencoded";
    private final AccessControl access;
    private final ObjectMapper mapper;

    TokenEndpoint(AccessControl access, ObjectMapper mapper) {
        this.access = access;
        this.mapper = mapper;
    }

    /** Whether this replica serves the endpoint (access control on and a signing key here). */
    boolean served() {
        return access.tokenDesk().isPresent();
    }

    /** The token request's answer; whom the token is for is told to the request's {@code trace} (its log line). */
    Reply handle(ApiRequest request, RequestTrace trace) {
        TokenDesk desk = access.tokenDesk().orElseThrow();
        try {
            return request.method() == HttpMethod.POST ? post(desk, request, trace) : get(desk, request, trace);
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.UNAUTHORIZED) { // credentials refused: a 401 that asks for Basic ones
                throw new AccessRefused("Basic realm=\"" + desk.service() + "\"", e.getMessage(), e.detail());
            }
            throw e;
        }
    }

    private Reply get(TokenDesk desk, ApiRequest request, RequestTrace trace) {
        checkService(desk, request.param("service"));
        List<Access> scopes = Access.parseScopes(request.params().getAll("scope"));
        String authorization = request.header("Authorization");
        TokenDesk.Grant grant;
        if (authorization == null) {
            grant = desk.anonymous(scopes);
        } else {
            String[] credentials = basicCredentials(authorization);
            grant = desk.password(credentials[0], credentials[1], scopes, "true".equals(request.param("offline_token")));
        }
        ObjectNode body = mapper.createObjectNode().put("token", grant.token());
        return answer(body, grant, trace);
    }

    private Reply post(TokenDesk desk, ApiRequest request, RequestTrace trace) {
        Map<String, List<String>> form = form(request);
        checkService(desk, first(form, "service"));
        List<Access> scopes = Access.parseScopes(form.getOrDefault("scope", List.of()));
        String grantType = first(form, "grant_type");
        TokenDesk.Grant grant = switch (grantType == null ? "" : grantType) {
            case "password" -> desk.password(required(form, "username"), required(form, "password"), scopes,
                    "offline".equals(first(form, "access_type")));
            case "refresh_token" -> desk.refresh(required(form, "refresh_token"), scopes);
            default -> throw invalid("grant_type must be password or refresh_token");
        };
        ObjectNode body = mapper.createObjectNode().put("token_type", "Bearer")
                .put("scope", grant.granted().stream().map(Access::scope).collect(Collectors.joining(" ")));
        return answer(body, grant, trace);
    }

    private Reply answer(ObjectNode body, TokenDesk.Grant grant, RequestTrace trace) {
        trace.identified(grant.principal());
        body.put("access_token", grant.token())
                .put("expires_in", grant.expiresIn().toSeconds())
                .put("issued_at", grant.issuedAt().toString());
        if (grant.refreshToken() != null) {
            body.put("refresh_token", grant.refreshToken());
        }
        try {
            return Reply.bytes(200, "application/json", mapper.writeValueAsBytes(body))
                    .header("Cache-Control", "no-store")
                    .header("Pragma", "no-cache");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkService(TokenDesk desk, String service) {
        if (service != null && !service.equals(desk.service())) {
            throw invalid("unknown service; this registry is " + desk.service());
        }
    }

    /** user and password of {@code Basic base64(user:password)}; anything else is refused as credentials. */
    private static String[] basicCredentials(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "the token endpoint takes Basic credentials");
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("no colon");
            }
            return new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "malformed Basic credentials");
        }
    }

    private static Map<String, List<String>> form(ApiRequest request) {
        String type = request.header("Content-Type");
        if (type == null || !type.toLowerCase().startsWith(FORM)) {
            throw invalid("the token endpoint takes " + FORM);
        }
        try {
            byte[] content = request.body().readNBytes(MAX_FORM + 1);
            if (content.length > MAX_FORM) {
                throw new RegistryException(ErrorCode.REQUEST_INVALID, 413, "token request form too large", Map.of());
            }
            return new QueryStringDecoder(new String(content, StandardCharsets.UTF_8), StandardCharsets.UTF_8, false)
                    .parameters();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw invalid("malformed form");
        }
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static String required(Map<String, List<String>> form, String name) {
        String value = first(form, name);
        if (value == null || value.isEmpty()) {
            throw invalid(name + " is required");
        }
        return value;
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.REQUEST_INVALID, message);
    }
}
