package io.regfleet.registry.http;

import io.regfleet.registry.blob.BlobContent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to answer: computed on a worker thread, written on the event loop. The body alone decides the
 * {@code Content-Length}: a reply cannot declare one length and send another (a keep-alive client would read the
 * difference as the start of the next response).
 */
public record Reply(int status, Map<String, String> headers, Body body) {

    public sealed interface Body {
        /** The Content-Length this body is declared with. */
        long length();
    }

    public record None() implements Body {
        public long length() {
            return 0;
        }
    }

    public record Bytes(byte[] content) implements Body {
        public long length() {
            return content.length;
        }
    }

    public record Blob(BlobContent content) implements Body {
        public long length() {
            return content.length();
        }
    }

    /** The headers of a body that is not sent: the answer to a HEAD. */
    public record HeadOf(long length) implements Body {
    }

    public static Reply status(int status) {
        return new Reply(status, new LinkedHashMap<>(), new None());
    }

    public static Reply bytes(int status, String contentType, byte[] content) {
        Reply reply = new Reply(status, new LinkedHashMap<>(), new Bytes(content));
        reply.headers.put("Content-Type", contentType);
        return reply;
    }

    public static Reply blob(int status, BlobContent content) {
        return new Reply(status, new LinkedHashMap<>(), new Blob(content));
    }

    public static Reply headOf(int status, long length) {
        return new Reply(status, new LinkedHashMap<>(), new HeadOf(length));
    }

    public Reply header(String name, Object value) {
        if ("Content-Length".equalsIgnoreCase(name)) {
            throw new IllegalArgumentException("the body decides the Content-Length");
        }
        headers.put(name, String.valueOf(value));
        return this;
    }
}
