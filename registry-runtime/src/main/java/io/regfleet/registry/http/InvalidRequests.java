package io.regfleet.registry.http;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.regfleet.registry.oci.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Requests the HTTP parser could not read (a malformed request line, a URI or headers over the limits): answered with
 * the OCI error body instead of the server's bare status line. The connection closes after the reply, since the
 * parser cannot find where the next request starts.
 */
@Singleton
class InvalidRequests {
    private final ErrorReplies errors;
    private final RequestLog log;

    InvalidRequests(ErrorReplies errors, RequestLog log) {
        this.errors = errors;
        this.log = log;
    }

    void reply(HttpServerRequest request) {
        RequestTrace trace = RequestTrace.of(request);
        Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
        Reply reply = switch (cause) {
            case TooLongHttpLineException e -> errors.error(414, ErrorCode.REQUEST_INVALID, "request line too long", Map.of());
            case TooLongHttpHeaderException e -> errors.error(431, ErrorCode.REQUEST_INVALID, "request headers too large", Map.of());
            case TooLongFrameException e -> errors.error(413, ErrorCode.REQUEST_INVALID, "request too large", Map.of());
            case null, default -> errors.error(400, ErrorCode.REQUEST_INVALID, "malformed HTTP request", Map.of());
        };
        byte[] body = ((Reply.Bytes) reply.body()).content();
        var response = request.response();
        response.setStatusCode(reply.status());
        reply.headers().forEach(response::putHeader);
        response.putHeader("Content-Length", String.valueOf(body.length));
        response.putHeader("Connection", "close");
        response.putHeader(RequestTrace.REQUEST_ID_HEADER, trace.id());
        response.end(Buffer.buffer(body)).onComplete(done -> {
            log.record(request, new Endpoint.Unknown(), reply.status(), trace, false);
            request.connection().close();
        });
    }
}
