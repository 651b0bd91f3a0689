package io.regfleet.registry.http;

import io.regfleet.registry.blob.BlobContent;
import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.governance.PodUsageReport;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.telemetry.RequestTimings;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.InputStream;
import java.util.Map;
import java.util.Set;

/**
 * The OCI distribution API. The event loop parses the path and hands the request to a worker thread (database and
 * blob-store calls block); the reply is written back on the event loop. Bodies stream. A manifest GET or HEAD and a
 * blob HEAD that the metadata cache answers, from a caller admitted from memory, are answered on the event loop
 * itself: no worker hand-off, no wait of any kind.
 */
@Singleton
public class RegistryRouter {
    private static final Logger LOG = Logger.getLogger(RegistryRouter.class);
    private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.PUT, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE);
    private static final long BODY_IDLE_TIMEOUT_MS = 120_000;

    private final ManifestEndpoints manifests;
    private final BlobEndpoints blobs;
    private final UploadEndpoints uploads;
    private final DiscoveryEndpoints discovery;
    private final ErrorReplies errors;
    private final RegistryConfig config;
    private final RequestMetrics metrics;
    private final PodUsageReport usage;
    private final AccessGate gate;
    private final TokenEndpoint tokens;
    private final RequestLog log;

    RegistryRouter(ManifestEndpoints manifests, BlobEndpoints blobs, UploadEndpoints uploads,
                   DiscoveryEndpoints discovery, ErrorReplies errors, RegistryConfig config, RequestMetrics metrics,
                   PodUsageReport usage, AccessGate gate, TokenEndpoint tokens, RequestLog log) {
        this.manifests = manifests;
        this.blobs = blobs;
        this.uploads = uploads;
        this.discovery = discovery;
        this.errors = errors;
        this.config = config;
        this.metrics = metrics;
        this.usage = usage;
        this.gate = gate;
        this.tokens = tokens;
        this.log = log;
    }

    void handle(HttpServerRequest request) {
        RequestTrace trace = RequestTrace.of(request);
        Endpoint endpoint;
        MultiMap params;
        try {
            endpoint = Endpoint.parse(request.path());
            params = QueryParameters.of(request);
        } catch (RegistryException e) {
            write(request, new Endpoint.Unknown(), errors.of(e, new Endpoint.Unknown()), trace);
            return;
        }
        HttpMethod method = request.method();
        if (config.readOnly() && WRITES.contains(method) && !(endpoint instanceof Endpoint.Token)) {
            write(request, endpoint, errors.error(405, ErrorCode.UNSUPPORTED, "this registry is read-only", Map.of()), trace);
            return;
        }
        Reply remembered = fromMemory(request, endpoint, params, trace);
        if (remembered != null) {
            usage.requestStarted();
            write(request, endpoint, remembered, trace);
            return;
        }
        Context context = Vertx.currentContext();
        request.pause();
        InputStream body = new RequestBodyStream(request, context, BODY_IDLE_TIMEOUT_MS);
        ApiRequest api = new ApiRequest(method, endpoint, request.headers(), params, body,
                gate.enabled() ? Origins.of(request) : null);
        usage.requestStarted();
        context.owner().<Reply>executeBlocking(() -> {
            try (RequestTimings.Binding timed = trace.timings().bind()) {
                // access control first: no database work for a refused request
                return dispatch(gate.admit(api, trace), trace);
            } catch (Throwable t) {
                return errors.of(t, endpoint);
            }
        }, false).onComplete(result -> {
            Reply reply = result.succeeded() ? result.result() : errors.of(result.cause(), endpoint);
            write(request, endpoint, reply, trace);
        });
    }

    /** The reply when the request is a read the metadata cache answers for a caller admitted from memory; else null. */
    private Reply fromMemory(HttpServerRequest request, Endpoint endpoint, MultiMap params, RequestTrace trace) {
        HttpMethod method = request.method();
        boolean manifestRead = endpoint instanceof Endpoint.Manifest && isRead(method);
        if (!manifestRead && !(endpoint instanceof Endpoint.Blob && method == HttpMethod.HEAD)) {
            return null;
        }
        ApiRequest api = new ApiRequest(method, endpoint, request.headers(), params, InputStream.nullInputStream(), null);
        try {
            if (gate.admitFromMemory(api, trace) == null) {
                return null;
            }
            return switch (endpoint) {
                case Endpoint.Manifest e -> manifests.fromMemory(api, e);
                case Endpoint.Blob e -> blobs.headFromMemory(api, e);
                default -> null;
            };
        } catch (RuntimeException e) {
            return null; // a worker answers it, with the error it deserves
        }
    }

    private Reply dispatch(AccessGate.Admitted admitted, RequestTrace trace) {
        ApiRequest r = admitted.request();
        HttpMethod m = r.method();
        return switch (r.endpoint()) {
            case Endpoint.Base b when isRead(m) -> Reply.bytes(200, "application/json", "{}".getBytes());
            case Endpoint.Catalog c when m == HttpMethod.GET -> discovery.catalog(r, gate.visibleRepositories(admitted));
            case Endpoint.Manifest e when isRead(m) -> manifests.get(r, e);
            case Endpoint.Manifest e when m == HttpMethod.PUT -> manifests.put(r, e);
            case Endpoint.Manifest e when m == HttpMethod.DELETE -> manifests.delete(r, e);
            case Endpoint.Blob e when isRead(m) -> blobs.get(r, e);
            case Endpoint.Blob e when m == HttpMethod.DELETE -> blobs.delete(r, e);
            case Endpoint.UploadStart e when m == HttpMethod.POST -> uploads.start(r, e);
            case Endpoint.Upload e when m == HttpMethod.PATCH -> uploads.patch(r, e);
            case Endpoint.Upload e when m == HttpMethod.PUT -> uploads.put(r, e);
            case Endpoint.Upload e when m == HttpMethod.GET -> uploads.status(r, e);
            case Endpoint.Upload e when m == HttpMethod.DELETE -> uploads.cancel(r, e);
            case Endpoint.TagList e when m == HttpMethod.GET -> discovery.tags(r, e);
            case Endpoint.Referrers e when m == HttpMethod.GET -> discovery.referrers(r, e);
            case Endpoint.Token t when tokens.served() && (m == HttpMethod.GET || m == HttpMethod.POST) ->
                    tokens.handle(r, trace);
            case Endpoint.Token t when !tokens.served() -> unknown();
            case Endpoint.Unknown u -> unknown();
            default -> errors.error(405, ErrorCode.UNSUPPORTED, "method " + m + " not allowed here", Map.of());
        };
    }

    private Reply unknown() {
        return errors.error(404, ErrorCode.NAME_UNKNOWN, "unknown API endpoint", Map.of());
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        return (length != null && !length.equals("0")) || request.getHeader("Transfer-Encoding") != null;
    }

    private static boolean isRead(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD;
    }

    private void write(HttpServerRequest request, Endpoint endpoint, Reply reply, RequestTrace trace) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            log.record(request, endpoint, reply.status(), trace, true); // the client left before the reply
            return;
        }
        response.setStatusCode(reply.status());
        response.putHeader("Docker-Distribution-API-Version", "registry/2.0");
        response.putHeader(RequestTrace.REQUEST_ID_HEADER, trace.id());
        reply.headers().forEach(response::putHeader);
        response.putHeader("Content-Length", Long.toString(reply.body().length()));
        // A body we did not read (an early error) is not drained: the connection closes after the reply.
        if (hasBody(request) && !request.isEnded()) {
            if (request.version() != HttpVersion.HTTP_2) {
                response.putHeader("Connection", "close"); // HTTP/2 ends just this stream instead
            }
            request.resume();
        }
        // Called once the reply has gone out, or once its connection went first (then it never ended).
        response.endHandler(v -> {
            metrics.record(endpoint, request.method(), reply.status(), trace.startedNanos());
            log.record(request, endpoint, reply.status(), trace, !response.ended());
        });
        boolean head = request.method() == HttpMethod.HEAD;
        switch (reply.body()) {
            case Reply.Bytes bytes when !head -> response.end(Buffer.buffer(bytes.content()));
            case Reply.Blob blob when !head -> sendBlob(request, blob.content());
            default -> response.end();
        }
    }

    private void sendBlob(HttpServerRequest request, BlobContent content) {
        HttpServerResponse response = request.response();
        switch (content) {
            case BlobContent.LocalFile file when file.length() == 0 -> response.end();
            case BlobContent.LocalFile file -> response.sendFile(file.path().toString(), file.offset(), file.length());
            case BlobContent.Stream stream -> {
                BlobPump pump = new BlobPump(response, BODY_IDLE_TIMEOUT_MS);
                Vertx.currentContext().owner().executeBlocking(() -> {
                    pump.copy(stream.input());
                    return null;
                }, false).onFailure(e -> {
                    LOG.debugf("blob stream aborted: %s", e.getMessage());
                    response.reset();
                });
            }
        }
    }
}
