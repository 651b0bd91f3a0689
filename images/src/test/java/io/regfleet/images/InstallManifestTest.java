package io.regfleet.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * install.yaml as the release attaches it (config/default rendered by kubectl's kustomize, as {@code make install-yaml}
 * does): the whole operator, CRD, RBAC and Deployment, with the operator image that the root pom names. With
 * {@code -Dregfleet.update-generated=true} ({@code make image-refs}) the kustomize images entry is written from the pom first.
 */
class InstallManifestTest {
    private static final Path REPOSITORY = Path.of(System.getProperty("regfleet.repo.dir", "..")).toAbsolutePath().normalize();
    private static final Path KUBECTL = Path.of(System.getProperty("regfleet.kubectl", "/usr/bin/kubectl"));
    private static final Path KUSTOMIZATION = REPOSITORY.resolve("config/manager/kustomization.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ProjectImages PROJECT = ProjectImages.load();
    private static List<JsonNode> installYaml;

    @BeforeAll
    static void render() throws IOException {
        if (Boolean.getBoolean("regfleet.update-generated")) {
            writeImageEntry();
        }
        if (!Files.isExecutable(KUBECTL)) {
            fail("kubectl (with kustomize v5) is required at " + KUBECTL + " to render config/default; install it or point -Dregfleet.kubectl at it");
        }
        String rendered = Command.output(List.of(KUBECTL.toString(), "kustomize", REPOSITORY.resolve("config/default").toString()));
        installYaml = YAML.readValues(YAML.getFactory().createParser(rendered), JsonNode.class).readAll();
    }

    @Test
    void theOperatorRunsTheImageThePomNames() {
        JsonNode deployment = only("Deployment", "regfleet-operator");
        String expected = PROJECT.reference(PROJECT.registry(), PROJECT.operatorName());
        assertEquals(System.getProperty("regfleet.expected.operator-image", expected), expected, "project-images.properties agrees with the pom");
        assertEquals(expected, deployment.at("/spec/template/spec/containers/0/image").asText(),
                "config/manager/kustomization.yaml names another image than the pom: refresh with make image-refs");
        assertEquals("regfleet-system", deployment.at("/metadata/namespace").asText());
    }

    /** OLM wants the CSV's name in lower case: the version everything ships under is the project version in lower case. */
    @Test
    void oneVersionEverywhere() {
        String project = System.getProperty("regfleet.project.version");
        assertEquals(project.toLowerCase(java.util.Locale.ROOT), PROJECT.version(),
                "regfleet.version in the root pom must be the project version in lower case: ./mvnw versions:set-property "
                        + "-Dproperty=regfleet.version -DnewVersion=" + project.toLowerCase(java.util.Locale.ROOT));
        assertEquals(PROJECT.version(), PROJECT.tag(), "the images are tagged with the version");
    }

    @Test
    void everythingTheOperatorNeedsIsInstalled() {
        assertEquals("Registry", only("CustomResourceDefinition", "registries.regfleet.io").at("/spec/names/kind").asText());
        only("Namespace", "regfleet-system");
        String account = only("Deployment", "regfleet-operator").at("/spec/template/spec/serviceAccountName").asText();
        only("ServiceAccount", account);
        for (String binding : List.of("ClusterRoleBinding", "RoleBinding")) {
            JsonNode bound = installYaml.stream().filter(d -> d.path("kind").asText().equals(binding)).findFirst()
                    .orElseThrow(() -> new AssertionError("install.yaml has no " + binding));
            assertEquals(account, bound.at("/subjects/0/name").asText(), binding + " binds the operator's ServiceAccount");
            assertEquals("regfleet-system", bound.at("/subjects/0/namespace").asText());
            only(bound.at("/roleRef/kind").asText(), bound.at("/roleRef/name").asText());
        }
    }

    private static JsonNode only(String kind, String name) {
        List<JsonNode> found = installYaml.stream()
                .filter(d -> d.path("kind").asText().equals(kind) && d.at("/metadata/name").asText().equals(name)).toList();
        assertEquals(1, found.size(), "install.yaml holds one " + kind + " " + name);
        return found.get(0);
    }

    /** Writes the pom's operator image into config/manager's kustomize images entry (its only one). */
    private static void writeImageEntry() throws IOException {
        String kustomization = Files.readString(KUSTOMIZATION);
        String updated = kustomization
                .replaceFirst("(?m)^(\\s+newName: ).*$", "$1" + PROJECT.repository(PROJECT.registry(), PROJECT.operatorName()))
                .replaceFirst("(?m)^(\\s+newTag: ).*$", "$1" + PROJECT.tag());
        assertTrue(updated.contains("newName:") && updated.contains("newTag:"), KUSTOMIZATION + " has no images entry");
        Files.writeString(KUSTOMIZATION, updated);
    }
}
