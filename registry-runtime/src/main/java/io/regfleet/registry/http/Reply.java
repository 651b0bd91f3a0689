package io.regfleet.registry.http;

import io.regfleet.registry.blob.BlobContent;

import java.util.LinkedHashMap;
import java.util.Map;

/** What to answer: computed on a worker thread, written on the event loop. */
public record Reply(int status, Map<String, String> headers, Body body) {

    public sealed interface Body {
    }

    public record None() implements Body {
    }

    public record Bytes(byte[] content) implements Body {
    }

    public record Blob(BlobContent content) implements Body {
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

    public Reply header(String name, Object value) {
        headers.put(name, String.valueOf(value));
        return this;
    }
}
