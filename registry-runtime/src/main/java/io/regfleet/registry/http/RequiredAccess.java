package io.regfleet.registry.http;

import io.regfleet.registry.auth.Access;
import io.regfleet.registry.auth.Action;
import io.vertx.core.http.HttpMethod;

import java.util.List;

/**
 * What a request needs, checked before any database work: reads pull, writes push, deletes delete; the catalog is
 * {@code registry:catalog:*}; {@code /v2/} needs a valid token and no right. {@code challenge} is the scope a 401 names,
 * the one clients ask tokens for (uploads and manifest pushes: {@code pull,push}, as distribution names them).
 */
record RequiredAccess(List<Access> needed, List<Access> challenge) {
    private static final RequiredAccess VALID_TOKEN = new RequiredAccess(List.of(), List.of());
    private static final RequiredAccess CATALOG = new RequiredAccess(List.of(Access.CATALOG), List.of(Access.CATALOG));

    /** Null for requests that need nothing: the token endpoint, unknown paths (404 to anyone). */
    static RequiredAccess of(Endpoint endpoint, HttpMethod method) {
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
        return switch (endpoint) {
            case Endpoint.Base b -> VALID_TOKEN;
            case Endpoint.Catalog c -> CATALOG;
            case Endpoint.Manifest e -> read ? pull(e.name().value()) : write(e.name().value(), method);
            case Endpoint.Blob e -> read ? pull(e.name().value()) : write(e.name().value(), method);
            case Endpoint.UploadStart e -> push(e.name().value());
            case Endpoint.Upload e -> push(e.name().value());
            case Endpoint.TagList e -> pull(e.name().value());
            case Endpoint.Referrers e -> pull(e.name().value());
            case Endpoint.Token t -> null;
            case Endpoint.Unknown u -> null;
        };
    }

    private static RequiredAccess write(String repository, HttpMethod method) {
        if (method == HttpMethod.DELETE) {
            Access delete = Access.repository(repository, Action.DELETE);
            return new RequiredAccess(List.of(delete), List.of(delete));
        }
        return push(repository);
    }

    private static RequiredAccess pull(String repository) {
        Access pull = Access.repository(repository, Action.PULL);
        return new RequiredAccess(List.of(pull), List.of(pull));
    }

    private static RequiredAccess push(String repository) {
        return new RequiredAccess(List.of(Access.repository(repository, Action.PUSH)),
                List.of(Access.repository(repository, Action.PULL, Action.PUSH)));
    }
}
