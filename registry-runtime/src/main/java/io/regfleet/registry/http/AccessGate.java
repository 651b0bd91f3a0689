package io.regfleet.registry.http;

import io.regfleet.registry.auth.Access;
import io.regfleet.registry.auth.AccessControl;
import io.regfleet.registry.auth.Action;
import io.regfleet.registry.auth.Caller;
import io.regfleet.registry.auth.Decision;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import io.vertx.core.MultiMap;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Access control at the door of every API request, before any database work: a request goes on as an
 * {@link Admitted} caller, or is refused with 401 and a challenge ({@link AccessRefused}) or 403 DENIED. A
 * cross-repository mount from a repository the caller may not pull is not refused: it becomes a plain upload, as the
 * spec says of a mount that cannot be done.
 */
@Singleton
class AccessGate {
    private final AccessControl access;

    /** The request as it goes on, and who sent it (null when access control is off). */
    record Admitted(ApiRequest request, Caller caller) {
    }

    AccessGate(AccessControl access) {
        this.access = access;
    }

    boolean enabled() {
        return access.enabled();
    }

    /** The request as it goes on; who sent it, allowed or denied, is told to the request's {@code trace} (its log line). */
    Admitted admit(ApiRequest request, RequestTrace trace) {
        RequiredAccess required = access.enabled() ? RequiredAccess.of(request.endpoint(), request.method()) : null;
        if (required == null) {
            return new Admitted(request, null);
        }
        return switch (access.authorize(request.header("Authorization"), required.needed())) {
            case Decision.Allowed allowed -> {
                trace.identified(allowed.caller().principal());
                yield new Admitted(withoutUnreadableMount(request, allowed.caller()), allowed.caller());
            }
            case Decision.Challenge challenge -> throw refusal(request, required.challenge(), challenge.error());
            case Decision.Denied denied -> {
                trace.identified(denied.principal());
                throw new RegistryException(ErrorCode.DENIED, "requested access to the resource is denied",
                        detail(required.challenge()));
            }
        };
    }

    /**
     * The request admitted from memory alone (an event-loop thread may ask), or null: refused, or its token not
     * verified before. Only for requests whose admission changes nothing of them (reads).
     */
    Admitted admitFromMemory(ApiRequest request, RequestTrace trace) {
        RequiredAccess required = access.enabled() ? RequiredAccess.of(request.endpoint(), request.method()) : null;
        if (required == null) {
            return new Admitted(request, null);
        }
        if (access.authorizeFromMemory(request.header("Authorization"), required.needed()) instanceof Decision.Allowed allowed) {
            trace.identified(allowed.caller().principal());
            return new Admitted(request, allowed.caller());
        }
        return null;
    }

    /** The repositories the caller may see in the catalog; null (no filter) when access control is off. */
    Predicate<String> visibleRepositories(Admitted admitted) {
        return admitted.caller() == null ? null : access.pullable(admitted.caller());
    }

    private ApiRequest withoutUnreadableMount(ApiRequest request, Caller caller) {
        String from = request.param("from");
        if (!(request.endpoint() instanceof Endpoint.UploadStart) || request.param("mount") == null || from == null
                || (RepositoryName.isValid(from) && access.grants(caller, Access.repository(from, Action.PULL)))) {
            return request;
        }
        MultiMap params = MultiMap.caseInsensitiveMultiMap().addAll(request.params());
        params.remove("mount");
        params.remove("from");
        return request.withParams(params);
    }

    private AccessRefused refusal(ApiRequest request, List<Access> scopes, String error) {
        StringBuilder challenge = new StringBuilder("Bearer realm=").append(quoted(realm(request)))
                .append(",service=").append(quoted(access.service()));
        if (!scopes.isEmpty()) {
            challenge.append(",scope=").append(quoted(scope(scopes)));
        }
        if (error != null) {
            challenge.append(",error=").append(quoted(error));
        }
        return new AccessRefused(challenge.toString(), "authentication required", detail(scopes));
    }

    private String realm(ApiRequest request) {
        return access.realm().orElse(request.origin() + Endpoint.TOKEN_PATH);
    }

    private static Map<String, Object> detail(List<Access> scopes) {
        return scopes.isEmpty() ? Map.of() : Map.of("scope", scope(scopes));
    }

    private static String scope(List<Access> scopes) {
        return scopes.stream().map(Access::scope).collect(Collectors.joining(" "));
    }

    /** An RFC 7230 quoted string. */
    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
