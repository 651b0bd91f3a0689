package io.regfleet.registry.http;

import io.regfleet.registry.metadata.UploadSession;
import io.regfleet.registry.oci.ContentRange;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.InvalidDigestException;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import io.regfleet.registry.service.BlobService;
import io.regfleet.registry.service.UploadRangeException;
import io.regfleet.registry.service.UploadService;
import jakarta.inject.Singleton;

import java.util.regex.Pattern;

/** The blob upload protocol: POST (session, monolithic, mount), PATCH, PUT, GET status, DELETE. */
@Singleton
class UploadEndpoints {
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private final UploadService uploads;
    private final BlobService blobs;

    UploadEndpoints(UploadService uploads, BlobService blobs) {
        this.uploads = uploads;
        this.blobs = blobs;
    }

    Reply start(ApiRequest request, Endpoint.UploadStart endpoint) {
        RepositoryName name = endpoint.name();
        String mount = request.param("mount");
        if (mount != null) {
            Digest mounted = mount(name, mount, request.param("from"));
            if (mounted != null) {
                return created(name, mounted);
            }
        } else if (request.param("digest") != null) {
            Digest digest = Digests.parse(request.param("digest"));
            UploadSession session = uploads.start(name);
            try {
                uploads.complete(name, session.id(), digest, null, request.contentLength(), request.body());
            } catch (RuntimeException e) {
                discardQuietly(name, session.id());
                throw e;
            }
            return created(name, digest);
        }
        return progress(202, uploads.start(name));
    }

    Reply patch(ApiRequest request, Endpoint.Upload endpoint) {
        String id = sessionId(endpoint);
        ContentRange range = contentRange(request, endpoint, id);
        return progress(202, uploads.append(endpoint.name(), id, range, request.contentLength(), request.body()));
    }

    Reply put(ApiRequest request, Endpoint.Upload endpoint) {
        String id = sessionId(endpoint);
        String digestParam = request.param("digest");
        if (digestParam == null) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "the digest parameter is required to complete an upload");
        }
        Digest digest = Digests.parse(digestParam);
        ContentRange range = contentRange(request, endpoint, id);
        uploads.complete(endpoint.name(), id, digest, range, request.contentLength(), request.body());
        return created(endpoint.name(), digest);
    }

    Reply status(ApiRequest request, Endpoint.Upload endpoint) {
        return progress(204, uploads.status(endpoint.name(), sessionId(endpoint)));
    }

    Reply cancel(ApiRequest request, Endpoint.Upload endpoint) {
        uploads.cancel(endpoint.name(), sessionId(endpoint));
        return Reply.status(204);
    }

    /** The mounted digest, or null when the mount cannot be done (the spec's fallback: a new upload session). */
    private Digest mount(RepositoryName name, String mount, String from) {
        if (from == null || !RepositoryName.isValid(from)) {
            return null;
        }
        try {
            Digest digest = Digest.parse(mount);
            return blobs.mount(name, digest, new RepositoryName(from)) ? digest : null;
        } catch (InvalidDigestException e) {
            return null;
        }
    }

    private ContentRange contentRange(ApiRequest request, Endpoint.Upload endpoint, String id) {
        try {
            return ContentRange.parse(request.header("Content-Range"));
        } catch (IllegalArgumentException e) {
            throw new UploadRangeException(id, uploads.status(endpoint.name(), id).state().size(), e.getMessage());
        }
    }

    private static String sessionId(Endpoint.Upload endpoint) {
        if (!SESSION_ID.matcher(endpoint.id()).matches()) {
            throw RegistryException.uploadUnknown(endpoint.id());
        }
        return endpoint.id();
    }

    private void discardQuietly(RepositoryName name, String id) {
        try {
            uploads.cancel(name, id);
        } catch (RuntimeException ignored) {
            // already gone (completed or failed); the purge catches anything left
        }
    }

    static Reply progress(int status, UploadSession session) {
        return progressHeaders(Reply.status(status), session.repository(), session.id(), session.state().size());
    }

    static Reply progressHeaders(Reply reply, String repository, String id, long size) {
        return reply.header("Location", "/v2/" + repository + "/blobs/uploads/" + id)
                .header("Range", "0-" + Math.max(0, size - 1))
                .header("Docker-Upload-UUID", id)
                .header("Blob-Upload-Session-ID", id);
    }

    private static Reply created(RepositoryName name, Digest digest) {
        return Reply.status(201)
                .header("Location", "/v2/" + name + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);
    }
}
