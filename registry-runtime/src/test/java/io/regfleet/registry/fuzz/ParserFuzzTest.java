package io.regfleet.registry.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.regfleet.registry.manifest.ManifestParser;
import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.oci.ByteRange;
import io.regfleet.registry.oci.ContentRange;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.InvalidDigestException;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing (Jazzer) of every parser that reads client input. Each input either parses into a value
 * that keeps the parser's promises, or is refused with the exception the HTTP layer turns into a 4xx: anything else
 * (a NullPointerException, a NumberFormatException, a stack overflow) would be a 500. {@code make test} fuzzes for a
 * bounded time (the surefire execution "fuzz" sets JAZZER_FUZZ); a plain test run replays the corpus.
 */
class ParserFuzzTest {
    private static final String[] CONTENT_TYPES = {null, "", "application/json", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8", "text/plain"};

    @FuzzTest(maxDuration = "30s") // make test stays under 20 minutes; a longer run: a larger value here
    void everyParserAnswersWithAValueOrAClientError(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 5)) {
            case 0 -> manifest(data.pickValue(CONTENT_TYPES), data.consumeRemainingAsBytes());
            case 1 -> digest(data.consumeRemainingAsString());
            case 2 -> reference(data.consumeRemainingAsString());
            case 3 -> repositoryName(data.consumeRemainingAsString());
            case 4 -> contentRange(data.consumeRemainingAsString());
            default -> byteRange(data.consumeLong(0, Long.MAX_VALUE / 2), data.consumeRemainingAsString());
        }
    }

    private static void manifest(String contentType, byte[] content) {
        try {
            ParsedManifest parsed = ManifestParser.parse(contentType, content);
            assertTrue(parsed.blobs().stream().allMatch(parsed.declaredSizes()::containsKey));
            assertTrue(parsed.declaredSizes().values().stream().allMatch(size -> size >= 0));
        } catch (RegistryException e) {
            assertClientError(e);
        }
    }

    private static void digest(String text) {
        try {
            Digest d = Digest.parse(text);
            assertEquals(text, d.toString());
            assertEquals(d, Digest.parse(d.toString()));
        } catch (InvalidDigestException e) {
            // refused: the HTTP layer answers DIGEST_INVALID
        }
    }

    private static void reference(String text) {
        try {
            Reference r = Reference.parse(text);
            assertEquals(text, r.text());
        } catch (RegistryException e) {
            assertClientError(e);
        }
    }

    private static void repositoryName(String text) {
        try {
            RepositoryName name = new RepositoryName(text);
            assertTrue(name.value().length() <= RepositoryName.MAX_LENGTH);
        } catch (RegistryException e) {
            assertClientError(e);
        }
    }

    private static void contentRange(String header) {
        try {
            ContentRange range = ContentRange.parse(header);
            if (range != null) {
                assertTrue(range.start() >= 0 && range.end() >= range.start() && range.length() > 0, header);
            }
        } catch (IllegalArgumentException e) {
            // refused: the upload answers 416 at the session's size
        }
    }

    private static void byteRange(long size, String header) {
        try {
            ByteRange range = ByteRange.parse(header, size);
            if (range != null) {
                assertTrue(range.start() >= 0 && range.start() <= range.end() && range.end() < size, header + " of " + size);
            }
        } catch (ByteRange.Unsatisfiable e) {
            // 416
        }
    }

    private static void assertClientError(RegistryException e) {
        assertTrue(e.status() >= 400 && e.status() < 500, e.code() + " " + e.status());
    }
}
