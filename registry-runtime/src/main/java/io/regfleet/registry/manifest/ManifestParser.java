package io.regfleet.registry.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.InvalidDigestException;
import io.regfleet.registry.oci.MediaTypes;
import io.regfleet.registry.oci.RegistryException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Validates a pushed manifest and extracts its references. Pure: no I/O besides parsing the bytes given. */
public final class ManifestParser {
    /** Strict: one JSON value and nothing after it, no duplicate keys anywhere. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private ManifestParser() {
    }

    /**
     * @param contentType the request's Content-Type (may be null or generic JSON)
     * @param content     the manifest bytes, exactly as pushed (they are stored and hashed as they are)
     */
    public static ParsedManifest parse(String contentType, byte[] content) {
        JsonNode root = readTree(content);
        if (!root.isObject()) {
            throw invalid("manifest is not a JSON object");
        }
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isInt() || schemaVersion.intValue() != 2) {
            throw invalid("unsupported schemaVersion: only 2 is accepted");
        }
        String mediaType = mediaType(contentType, root);
        List<Digest> blobs = new ArrayList<>();
        Map<Digest, Long> sizes = new HashMap<>();
        List<Digest> manifests = new ArrayList<>();
        String artifactType = text(root, "artifactType");
        if (MediaTypes.isIndex(mediaType)) {
            JsonNode entries = root.get("manifests");
            if (entries == null || !entries.isArray()) {
                throw invalid("an index needs a 'manifests' array");
            }
            for (JsonNode entry : entries) {
                manifests.add(descriptor(entry, "manifests[]").digest());
            }
        } else {
            Descriptor config = descriptor(root.get("config"), "config");
            addBlob(config, blobs, sizes);
            JsonNode layers = root.get("layers");
            if (layers == null || !layers.isArray()) {
                throw invalid("a manifest needs a 'layers' array");
            }
            for (JsonNode layer : layers) {
                Descriptor d = descriptor(layer, "layers[]");
                if (!d.external()) { // foreign layers (urls) are not pushed to registries
                    addBlob(d, blobs, sizes);
                }
            }
            if (artifactType == null && MediaTypes.OCI_MANIFEST.equals(mediaType)) {
                artifactType = config.mediaType();
            }
        }
        JsonNode subjectNode = root.get("subject");
        Digest subject = subjectNode == null || subjectNode.isNull() ? null : descriptor(subjectNode, "subject").digest();
        JsonNode annotations = root.get("annotations");
        String annotationsJson = null;
        if (annotations != null && !annotations.isNull()) {
            if (!annotations.isObject()) {
                throw invalid("'annotations' must be an object");
            }
            annotationsJson = annotations.toString();
        }
        return new ParsedManifest(mediaType, List.copyOf(blobs), List.copyOf(manifests), subject, artifactType,
                annotationsJson, sizes);
    }

    /** A blob referenced twice must be declared with one size. */
    private static void addBlob(Descriptor d, List<Digest> blobs, Map<Digest, Long> sizes) {
        Long previous = sizes.putIfAbsent(d.digest(), d.size());
        if (previous == null) {
            blobs.add(d.digest());
        } else if (previous != d.size()) {
            throw invalid("blob " + d.digest() + " is declared with two sizes");
        }
    }

    /**
     * The manifest as one JSON object in UTF-8: a byte-order mark or another encoding (which the JSON parser would
     * silently accept) is refused, since the bytes are stored and served exactly as pushed.
     */
    private static JsonNode readTree(byte[] content) {
        int first = firstNonWhitespace(content);
        if (first < 0) {
            throw invalid("empty manifest");
        }
        if (content[first] != '{') {
            throw invalid("manifest must be a JSON object in UTF-8 (no byte-order mark)");
        }
        try {
            return JSON.readTree(content);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw invalid("manifest is not a single valid JSON object"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw invalid("manifest is not readable JSON");
        }
    }

    private static int firstNonWhitespace(byte[] content) {
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return i;
            }
        }
        return -1;
    }

    /** The Content-Type decides; a manifest's own mediaType field must agree with it. */
    private static String mediaType(String contentType, JsonNode root) {
        String declared = text(root, "mediaType");
        String header = MediaTypes.strip(contentType);
        boolean headerIsSpecific = header != null && !header.isEmpty()
                && !header.equals("application/json") && !header.equals("application/octet-stream");
        String mediaType = headerIsSpecific ? header : declared;
        if (mediaType == null) {
            mediaType = root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        if (declared != null && !declared.equals(mediaType)) {
            throw invalid("mediaType '" + declared + "' does not match Content-Type '" + mediaType + "'");
        }
        if (!MediaTypes.MANIFESTS.contains(mediaType)) {
            throw invalid("unsupported manifest media type: " + mediaType);
        }
        return mediaType;
    }

    private record Descriptor(Digest digest, long size, String mediaType, boolean external) {
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw invalid("'" + where + "' must be a descriptor object");
        }
        String digestText = text(node, "digest");
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (InvalidDigestException e) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid digest in " + where,
                    Map.of("digest", String.valueOf(digestText)));
        }
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
            throw invalid("'" + where + "' needs a non-negative integer size");
        }
        String mediaType = text(node, "mediaType");
        if (mediaType == null) {
            throw invalid("'" + where + "' needs a mediaType");
        }
        JsonNode urls = node.get("urls");
        return new Descriptor(digest, size.longValue(), mediaType, urls != null && urls.isArray() && !urls.isEmpty());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("'" + field + "' must be a string");
        }
        return value.textValue();
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.MANIFEST_INVALID, message);
    }
}
