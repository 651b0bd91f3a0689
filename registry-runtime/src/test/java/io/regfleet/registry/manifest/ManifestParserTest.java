package io.regfleet.registry.manifest;

import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ManifestParserTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);
    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";

    @Test
    void imageManifestReferencesConfigAndLayersButNotForeignLayers() {
        ParsedManifest m = parse(OCI, """
                {"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":2},
                 "layers":[{"mediaType":"l","digest":"%s","size":3},{"mediaType":"l","digest":"%s","size":3,"urls":["https://x"]}]}"""
                .formatted(OCI, A, B, C));
        assertEquals(OCI, m.mediaType());
        assertEquals(List.of(Digest.parse(A), Digest.parse(B)), m.blobs());
        assertEquals("application/vnd.oci.image.config.v1+json", m.artifactType());
        assertNull(m.subject());
    }

    @Test
    void indexReferencesManifestsAndArtifactTypeAndSubjectAreRead() {
        ParsedManifest m = parse("application/vnd.oci.image.index.v1+json; charset=utf-8", """
                {"schemaVersion":2,"manifests":[{"mediaType":"%s","digest":"%s","size":5}],"artifactType":"x/y",
                 "subject":{"mediaType":"%s","digest":"%s","size":1},"annotations":{"k":"v"}}""".formatted(OCI, A, OCI, B));
        assertEquals(List.of(Digest.parse(A)), m.manifests());
        assertEquals("x/y", m.artifactType());
        assertEquals(Digest.parse(B), m.subject());
        assertEquals("{\"k\":\"v\"}", m.annotationsJson());
    }

    @Test
    void mediaTypeComesFromTheBodyWhenTheHeaderIsGeneric() {
        ParsedManifest m = parse("application/json", """
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[]}""");
        assertEquals("application/vnd.docker.distribution.manifest.list.v2+json", m.mediaType());
    }

    @Test
    void refusesMalformedManifests() {
        for (String body : new String[]{"", "nope", "1", "{\"schemaVersion\":\"2\"}", "{\"schemaVersion\":2}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + A + "\",\"size\":-1},\"layers\":[]}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + A + "\",\"size\":1},\"layers\":{}}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + A + "\",\"size\":1},\"layers\":[],\"schemaVersion\":2}",
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"config\":{},\"layers\":[]}"}) {
            assertThrows(RegistryException.class, () -> parse(OCI, body), body);
        }
    }

    @Test
    void acceptsOnlyOneJsonObjectInUtf8() {
        String valid = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + A + "\",\"size\":1},\"layers\":[]}";
        parse(OCI, valid);
        parse(OCI, " \n" + valid + "\n ");
        for (String body : new String[]{valid + "garbage{", valid + valid, valid + "{}", "\uFEFF" + valid, valid + "]"}) {
            RegistryException e = assertThrows(RegistryException.class, () -> parse(OCI, body), body);
            assertEquals(ErrorCode.MANIFEST_INVALID, e.code());
            assertFalse(e.getMessage().contains("com.fasterxml") || e.getMessage().contains("Unexpected"),
                    "the parser library's text is not echoed: " + e.getMessage());
        }
        byte[] utf16 = valid.getBytes(StandardCharsets.UTF_16BE);
        assertThrows(RegistryException.class, () -> ManifestParser.parse(OCI, utf16));
    }

    @Test
    void duplicateKeysAreRefusedAtAnyDepth() {
        String dupInConfig = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + A + "\",\"size\":1,\"size\":2},\"layers\":[]}";
        assertThrows(RegistryException.class, () -> parse(OCI, dupInConfig));
    }

    @Test
    void declaredSizesAreKeptPerBlobAndMustAgree() {
        ParsedManifest m = parse(OCI, """
                {"schemaVersion":2,"config":{"mediaType":"c","digest":"%s","size":2},
                 "layers":[{"mediaType":"l","digest":"%s","size":4096},{"mediaType":"l","digest":"%s","size":4096}]}"""
                .formatted(A, B, B));
        assertEquals(List.of(Digest.parse(A), Digest.parse(B)), m.blobs());
        assertEquals(Map.of(Digest.parse(A), 2L, Digest.parse(B), 4096L), m.declaredSizes());
        assertThrows(RegistryException.class, () -> parse(OCI, """
                {"schemaVersion":2,"config":{"mediaType":"c","digest":"%s","size":2},
                 "layers":[{"mediaType":"l","digest":"%s","size":1},{"mediaType":"l","digest":"%s","size":4096}]}"""
                .formatted(A, B, B)));
    }

    private static ParsedManifest parse(String contentType, String body) {
        return ManifestParser.parse(contentType, body.getBytes());
    }
}
