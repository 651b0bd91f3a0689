package io.regfleet.registry.http;

import io.regfleet.registry.oci.RepositoryName;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Singleton;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

import java.util.Map;
import java.util.logging.Level;

/**
 * One line per API request on the logger {@code io.regfleet.request}: method, route template (never the raw path),
 * repository, status, bytes in and out, duration, database and storage time, request id, remote address, user, and
 * {@code aborted} when the client went before the whole reply.
 * The fields go in the log record's MDC, so the JSON formatter (regfleet.log.json) writes them as the {@code mdc}
 * object of one JSON line; the message says the same for a human. Headers and query strings are never logged: they
 * carry credentials and upload state.
 * <p>
 * A cache hit is answered in tens of microseconds, so this line is a large part of its cost: the record is built
 * directly, its fields set on the record itself (the thread's MDC, which Quarkus keeps in the Vert.x context, is not
 * touched) and the numbers written without {@code String.format}. Turning the logger to WARN turns the lines off.
 */
@Singleton
class RequestLog {
    private static final Logger LOG = Logger.getLogger("io.regfleet.request");

    /** {@code aborted}: the connection closed before the whole reply went out (the status is the one meant). */
    void record(HttpServerRequest request, Endpoint endpoint, int status, RequestTrace trace, boolean aborted) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        Line line = new Line(request.method() == null ? "-" : request.method().name(), endpoint.template(), status);
        line.field("repository", repository(endpoint));
        line.field("bytesIn", Long.toString(request.bytesRead()));
        line.field("bytesOut", Long.toString(request.response().bytesWritten()));
        line.field("durationMs", millis(System.nanoTime() - trace.startedNanos()));
        line.field("databaseMs", millis(trace.timings().databaseNanos()));
        line.field("storageMs", millis(trace.timings().storageNanos()));
        line.field("requestId", trace.id());
        SocketAddress remote = request.remoteAddress();
        line.field("remoteAddress", remote == null ? null : remote.hostAddress());
        line.field("user", trace.user());
        if (aborted) {
            line.field("aborted", "true");
        }
        LOG.logRaw(line.record());
    }

    /**
     * A log record under construction: {@code GET /v2/{name}/manifests/{reference} 200 repository=a/b bytesIn=0 ...},
     * the fields as a person reads them, and each field in the record's MDC as well.
     */
    private static final class Line {
        private final ExtLogRecord record = new ExtLogRecord(Level.INFO, null, ExtLogRecord.FormatStyle.NO_FORMAT,
                RequestLog.class.getName());
        private final StringBuilder message = new StringBuilder(200);

        Line(String method, String route, int status) {
            record.setMdc(Map.of()); // this record's fields only, not whatever the thread holds
            String code = Integer.toString(status);
            message.append(method).append(' ').append(route).append(' ').append(code);
            record.putMdc("method", method);
            record.putMdc("route", route);
            record.putMdc("status", code);
        }

        void field(String key, String value) {
            if (value != null) {
                message.append(' ').append(key).append('=').append(value);
                record.putMdc(key, value);
            }
        }

        ExtLogRecord record() {
            record.setLoggerName(LOG.getName());
            record.setMessage(message.toString(), ExtLogRecord.FormatStyle.NO_FORMAT);
            return record;
        }
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

    /** Milliseconds with three decimals ("12.345"), as {@code %.3f} writes them: to the nearest microsecond. */
    static String millis(long nanos) {
        long micros = (Math.max(0, nanos) + 500) / 1000;
        long fraction = micros % 1000;
        return (micros / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
