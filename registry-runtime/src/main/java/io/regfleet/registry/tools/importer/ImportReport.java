package io.regfleet.registry.tools.importer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/**
 * What an import copied and what its proof found, as the one summary line it prints ({@link #jsonLine()}).
 *
 * @param differences up to the configured number listed; {@code differenceCount} counts them all
 */
public record ImportReport(String source, int repositories, Copied copied, Proven proven, long differenceCount,
                           List<Difference> differences, double copySeconds, double proofSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The copy: tags whose manifests are here, what was copied, what was here already (a continued import). */
    public record Copied(long tags, long manifests, long manifestsPresent, long referrers, long blobs, long blobsLinked,
                         long blobsPresent, long bytes) {
    }

    /** The proof: what was compared with the source. */
    public record Proven(long tags, long manifests, long blobs) {
    }

    public ImportReport {
        differences = List.copyOf(differences);
    }

    /** Tags copied or confirmed per second of the copy. */
    @JsonProperty
    public double imagesPerSecond() {
        return copySeconds <= 0 ? 0 : Math.round(copied.tags() / copySeconds * 10) / 10.0;
    }

    /** Blob bytes streamed from the source per second of the copy. */
    @JsonProperty
    public double mibPerSecond() {
        return copySeconds <= 0 ? 0 : Math.round(copied.bytes() / 1048576.0 / copySeconds * 10) / 10.0;
    }

    /** The exit status of {@code regfleet import}: 0 when the proof found no difference, 1 otherwise. */
    public int exitCode() {
        return differenceCount == 0 ? 0 : 1;
    }

    /** {@code {"import":{...}}} on one line. */
    public String jsonLine() {
        try {
            return JSON.writeValueAsString(Map.of("import", this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
