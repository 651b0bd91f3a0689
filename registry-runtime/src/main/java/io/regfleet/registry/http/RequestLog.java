package io.regfleet.registry.http;

import io.regfleet.registry.oci.RepositoryName;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One line per API request on the logger {@code io.regfleet.request}: method, route template (never the raw path),
 * repository, status, bytes in and out, duration, database and storage time, request id, remote address, user, and
 * {@code aborted} when the client went before the whole reply.
 * The fields go in the log record's MDC, so the JSON formatter (regfleet.log.json) writes them as the {@code mdc}
 * object of one JSON line; the message says the same for a human. Headers and query strings are never logged: they
 * carry credentials and upload state.
 */
@ApplicationScoped
class RequestLog {
    private static final Logger LOG = Logger.getLogger("io.regfleet.request");

    /** {@code aborted}: the connection closed before the whole reply went out (the status is the one meant). */
    void record(HttpServerRequest request, Endpoint endpoint, int status, RequestTrace trace, boolean aborted) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        Map<String, String> fields = fields(request, endpoint, status, trace);
        if (aborted) {
            fields.put("aborted", "true");
        }
        fields.forEach(MDC::put);
        try {
            LOG.info(line(fields));
        } finally {
            fields.keySet().forEach(MDC::remove);
        }
    }

    private static Map<String, String> fields(HttpServerRequest request, Endpoint endpoint, int status, RequestTrace trace) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("method", request.method() == null ? "-" : request.method().name());
        fields.put("route", endpoint.template());
        String repository = repository(endpoint);
        if (repository != null) {
            fields.put("repository", repository);
        }
        fields.put("status", Integer.toString(status));
        fields.put("bytesIn", Long.toString(request.bytesRead()));
        fields.put("bytesOut", Long.toString(request.response().bytesWritten()));
        fields.put("durationMs", millis(System.nanoTime() - trace.startedNanos()));
        fields.put("databaseMs", millis(trace.timings().databaseNanos()));
        fields.put("storageMs", millis(trace.timings().storageNanos()));
        fields.put("requestId", trace.id());
        SocketAddress remote = request.remoteAddress();
        if (remote != null) {
            fields.put("remoteAddress", remote.hostAddress());
        }
        if (trace.user() != null) {
            fields.put("user", trace.user());
        }
        return fields;
    }

    /** {@code GET /v2/{name}/manifests/{reference} 200 repository=a/b bytesIn=0 ...}: the fields as a person reads them. */
    private static String line(Map<String, String> fields) {
        StringBuilder line = new StringBuilder(fields.get("method")).append(' ').append(fields.get("route"))
                .append(' ').append(fields.get("status"));
        fields.forEach((key, value) -> {
            if (!key.equals("method") && !key.equals("route") && !key.equals("status")) {
                line.append(' ').append(key).append('=').append(value);
            }
        });
        return line.toString();
    }

    private static String repository(Endpoint endpoint) {
        RepositoryName name = switch (endpoint) {
            case Endpoint.Manifest e -> e.name();
            case Endpoint.Blob e -> e.name();
            case Endpoint.UploadStart e -> e.name();
            case Endpoint.Upload e -> e.name();
            case Endpoint.TagList e -> e.name();
            case Endpoint.Referrers e -> e.name();
            default -> null;
        };
        return name == null ? null : name.value();
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
