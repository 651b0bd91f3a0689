package io.regfleet.operator.generated;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Committed copies of build output (crds/, bundle/): compared with what the build generated, or refreshed in place
 * when the system property regfleet.update-generated is true (that is what the Make targets do).
 */
final class GeneratedFiles {
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path ROOT = MODULE.getParent();

    private GeneratedFiles() {
    }

    static boolean updating() {
        return Boolean.getBoolean("regfleet.update-generated");
    }

    /** Compares (or writes) every file of expected, keyed by path relative to committedDir; no extra files allowed. */
    static void check(Map<String, String> expected, Path committedDir, String refreshCommand) {
        try {
            if (updating()) {
                if (Files.exists(committedDir)) {
                    for (String stale : list(committedDir).keySet()) {
                        if (!expected.containsKey(stale) && !stale.equals("kustomization.yaml")) {
                            Files.delete(committedDir.resolve(stale));
                        }
                    }
                }
                for (var e : expected.entrySet()) {
                    Path target = committedDir.resolve(e.getKey());
                    Files.createDirectories(target.getParent());
                    Files.writeString(target, e.getValue());
                }
                return;
            }
            Map<String, String> committed = list(committedDir);
            committed.remove("kustomization.yaml");
            if (!committed.keySet().equals(expected.keySet())) {
                fail(ROOT.relativize(committedDir) + "/ holds " + committed.keySet() + " but the build generates " + expected.keySet()
                        + ". Refresh with: " + refreshCommand);
            }
            for (var e : expected.entrySet()) {
                assertEquals(e.getValue(), committed.get(e.getKey()), ROOT.relativize(committedDir) + "/" + e.getKey()
                        + " drifted from the generated file. Refresh with: " + refreshCommand);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> list(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }
}
