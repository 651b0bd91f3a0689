package io.regfleet.registry.http;

import io.regfleet.registry.oci.ByteRange;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.service.BlobService;
import jakarta.inject.Singleton;

import java.util.OptionalLong;

/**
 * GET, HEAD and DELETE on {@code /v2/<name>/blobs/<digest>}, with single {@code Range} requests; a GET may be
 * redirected to the store ({@code regfleet.storage.s3.redirect}), a HEAD never is.
 */
@Singleton
class BlobEndpoints {
    private final BlobService blobs;

    BlobEndpoints(BlobService blobs) {
        this.blobs = blobs;
    }

    Reply get(ApiRequest request, Endpoint.Blob endpoint) {
        Digest digest = Digests.parse(endpoint.digest());
        long size = request.isHead() ? blobs.sizeForHead(endpoint.name(), digest) : blobs.size(endpoint.name(), digest);
        ByteRange range = ByteRange.parse(request.header("Range"), size);
        long offset = range == null ? 0 : range.start();
        long length = range == null ? size : range.length();
        int status = range == null ? 200 : 206;
        if (!request.isHead()) {
            // a Range travels with the client to the redirect's target, which serves it
            var elsewhere = blobs.redirect(digest);
            if (elsewhere.isPresent()) {
                return Reply.status(307).header("Location", elsewhere.get()).header("Docker-Content-Digest", digest);
            }
        }
        Reply reply = request.isHead() ? Reply.headOf(status, length) : Reply.blob(status, blobs.open(digest, offset, length, size));
        return described(reply, digest, range, size);
    }

    /**
     * The answer to a HEAD of the whole blob when the metadata cache knows the repository serves it (an event-loop
     * thread may ask); else null.
     */
    Reply headFromMemory(ApiRequest request, Endpoint.Blob endpoint) {
        if (!request.isHead() || request.header("Range") != null || !Digest.looksLikeDigest(endpoint.digest())) {
            return null;
        }
        Digest digest = Digests.parse(endpoint.digest());
        OptionalLong size = blobs.sizeFromMemory(endpoint.name(), digest);
        return size.isEmpty() ? null : described(Reply.headOf(200, size.getAsLong()), digest, null, size.getAsLong());
    }

    private static Reply described(Reply reply, Digest digest, ByteRange range, long size) {
        reply.header("Content-Type", "application/octet-stream")
                .header("Docker-Content-Digest", digest)
                .header("ETag", "\"" + digest + "\"")
                .header("Accept-Ranges", "bytes")
                .header("Cache-Control", "max-age=31536000");
        if (range != null) {
            reply.header("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size);
        }
        return reply;
    }

    Reply delete(ApiRequest request, Endpoint.Blob endpoint) {
        blobs.delete(endpoint.name(), Digests.parse(endpoint.digest()));
        return Reply.status(202);
    }
}
