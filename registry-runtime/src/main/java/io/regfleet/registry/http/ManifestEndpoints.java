package io.regfleet.registry.http;

import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.service.ManifestService;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** GET, HEAD, PUT and DELETE on {@code /v2/<name>/manifests/<reference>}. */
@Singleton
class ManifestEndpoints {
    private final ManifestService manifests;
    private final RegistryConfig config;

    ManifestEndpoints(ManifestService manifests, RegistryConfig config) {
        this.manifests = manifests;
        this.config = config;
    }

    Reply get(ApiRequest request, Endpoint.Manifest endpoint) {
        return reply(manifests.get(endpoint.name(), existingReference(endpoint)));
    }

    /** The answer to a GET or HEAD when the metadata cache has it (an event-loop thread may ask); else null. */
    Reply fromMemory(ApiRequest request, Endpoint.Manifest endpoint) {
        Reference reference;
        try {
            reference = Reference.parse(endpoint.reference());
        } catch (RegistryException e) {
            return null;
        }
        return manifests.fromMemory(endpoint.name(), reference).map(ManifestEndpoints::reply).orElse(null);
    }

    private static Reply reply(StoredManifest manifest) {
        return Reply.bytes(200, manifest.mediaType(), manifest.content())
                .header("Docker-Content-Digest", manifest.digest())
                .header("ETag", "\"" + manifest.digest() + "\"");
    }

    Reply put(ApiRequest request, Endpoint.Manifest endpoint) {
        Reference reference = Reference.parse(endpoint.reference());
        byte[] content = readLimited(request);
        List<Reference.Tag> moreTags = request.params().getAll("tag").stream().map(Reference.Tag::new).toList();
        ManifestService.Pushed pushed = manifests.put(endpoint.name(), reference, request.header("Content-Type"), content,
                moreTags);
        Reply reply = Reply.status(201)
                .header("Location", "/v2/" + endpoint.name() + "/manifests/" + pushed.digest())
                .header("Docker-Content-Digest", pushed.digest());
        if (!moreTags.isEmpty()) {
            reply.header("OCI-Tag", String.join(", ", pushed.tags()));
        }
        if (pushed.subject() != null) {
            reply.header("OCI-Subject", pushed.subject());
        }
        return reply;
    }

    Reply delete(ApiRequest request, Endpoint.Manifest endpoint) {
        manifests.delete(endpoint.name(), existingReference(endpoint));
        return Reply.status(202);
    }

    /**
     * A reference to look up: one that is neither a valid tag nor a digest names nothing, so it is not found (404),
     * as the spec asks of GET, HEAD and DELETE. Only a PUT is refused for it (400).
     */
    private static Reference existingReference(Endpoint.Manifest endpoint) {
        try {
            return Reference.parse(endpoint.reference());
        } catch (RegistryException e) {
            throw RegistryException.manifestUnknown(endpoint.reference());
        }
    }

    /** The body, refused with 413 when it is larger than the configured limit (read no further than the limit). */
    private byte[] readLimited(ApiRequest request) {
        int max = config.manifest().maxSize();
        if (request.contentLength() > max) {
            throw tooLarge(max);
        }
        try {
            byte[] content = request.body().readNBytes(max + 1);
            if (content.length > max) {
                throw tooLarge(max);
            }
            return content;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RegistryException tooLarge(int max) {
        return new RegistryException(ErrorCode.SIZE_INVALID, 413, "manifest exceeds the limit of " + max + " bytes",
                Map.of("limit", max));
    }
}
