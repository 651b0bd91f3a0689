package io.regfleet.operator.generated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bundle/ must hold the OLM bundle that quarkus-operator-sdk-bundle-generator writes at package time
 * (target/bundle/regfleet-operator), with what the generator has no setting for added to the CSV: the Registry's spec
 * and status descriptors from src/bundle/descriptors.yaml, and relatedImages (the operator's and the registry's, as
 * the root pom names them); and without the required CRDs it infers from the dependents (cert-manager's Certificate is
 * optional). Runs after package (failsafe).
 */
class BundleDriftIT {
    static final String REFRESH = "make bundle";
    static final Path GENERATED = GeneratedFiles.MODULE.resolve("target/bundle/regfleet-operator");
    static final String CSV = "manifests/regfleet-operator.clusterserviceversion.yaml";
    /** Not the generator's: config/monitoring's dashboard as a ConfigMap for Grafana's sidecar (OLM installs ConfigMaps). */
    static final String DASHBOARD = "manifests/regfleet-dashboard.configmap.yaml";
    static final YAMLMapper YAML = YAMLMapper.builder(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES))
            .build();
    /** Map keys sorted: the generator's label order varies between builds, the committed bundle must not. */
    static final ObjectMapper SORTED = YAML.copy().configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    @Test
    void committedBundleMatchesTheGeneratedOne() throws IOException {
        assertTrue(Files.isDirectory(GENERATED), "no generated bundle in " + GENERATED + ": run the package phase first");
        Map<String, String> expected = new TreeMap<>();
        for (var e : GeneratedFiles.list(GENERATED).entrySet()) {
            String content = e.getKey().equals(CSV) ? withAdditions(e.getValue()) : e.getValue();
            expected.put(e.getKey(), e.getKey().endsWith(".yaml") || e.getKey().endsWith(".yml") ? sorted(content) : content);
        }
        expected.put(DASHBOARD, sorted(dashboardConfigMap()));
        GeneratedFiles.check(expected, GeneratedFiles.ROOT.resolve("bundle"), REFRESH);
    }

    @Test
    void almExamplesAreTheSamples() throws IOException {
        JsonNode csv = YAML.readTree(Files.readString(GENERATED.resolve(CSV)));
        JsonNode examples = new ObjectMapper().readTree(csv.at("/metadata/annotations/alm-examples").asText());
        List<JsonNode> samples = new ArrayList<>();
        for (String name : List.of("registry-s3.yaml", "registry-pvc.yaml")) {
            samples.add(YAML.readTree(Files.readString(GeneratedFiles.ROOT.resolve("config/samples").resolve(name))));
        }
        assertEquals(samples.size(), examples.size());
        for (int i = 0; i < samples.size(); i++) {
            assertEquals(samples.get(i), examples.get(i), "alm-examples[" + i + "] differs from config/samples: update @CSVMetadata almExamples");
        }
    }

    @Test
    void theCsvDescribesTheOperator() throws IOException {
        JsonNode csv = YAML.readTree(withAdditions(Files.readString(GENERATED.resolve(CSV))));
        JsonNode spec = csv.get("spec");
        assertTrue(spec.get("description").asText().contains("connection"));
        assertEquals("image/svg+xml", spec.at("/icon/0/mediatype").asText());
        assertTrue(spec.at("/icon/0/base64data").asText().length() > 100);
        assertEquals(4, spec.get("installModes").size());
        JsonNode owned = spec.at("/customresourcedefinitions/owned/0");
        assertEquals("registries.regfleet.io", owned.get("name").asText());
        assertTrue(owned.get("specDescriptors").size() > 5);
        assertTrue(owned.get("statusDescriptors").size() > 3);
        JsonNode container = spec.at("/install/spec/deployments/0/spec/template/spec/containers/0");
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
    }

    /** Annotations that change with every commit or build: kept out of the committed bundle and the comparison. */
    static final java.util.Set<String> VOLATILE = java.util.Set.of(
            "app.quarkus.io/commit-id", "app.quarkus.io/vcs-uri", "app.quarkus.io/build-timestamp");

    static String sorted(String yaml) throws IOException {
        Object tree = YAML.readValue(yaml, Object.class);
        withoutVolatile(tree);
        return SORTED.writeValueAsString(tree);
    }

    @SuppressWarnings("unchecked")
    private static void withoutVolatile(Object node) {
        if (node instanceof java.util.Map<?, ?> map) {
            ((java.util.Map<String, Object>) map).keySet().removeIf(VOLATILE::contains);
            map.values().forEach(BundleDriftIT::withoutVolatile);
        } else if (node instanceof java.util.List<?> list) {
            list.forEach(BundleDriftIT::withoutVolatile);
        }
    }

    /** The ConfigMap config/monitoring's kustomization generates, labelled for Grafana's dashboard sidecar. */
    static String dashboardConfigMap() throws IOException {
        Path json = GeneratedFiles.ROOT.resolve("config/monitoring/regfleet-dashboard.json");
        return YAML.writeValueAsString(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "regfleet-dashboard", "labels", Map.of("grafana_dashboard", "1",
                        "app.kubernetes.io/name", "regfleet", "app.kubernetes.io/component", "monitoring")),
                "data", Map.of(json.getFileName().toString(), Files.readString(json))));
    }

    /** The generated CSV with the descriptors and relatedImages added. */
    static String withAdditions(String csvYaml) throws IOException {
        ObjectNode csv = (ObjectNode) YAML.readTree(csvYaml);
        JsonNode descriptors = YAML.readTree(Files.readString(GeneratedFiles.MODULE.resolve("src/bundle/descriptors.yaml")));
        ArrayNode owned = (ArrayNode) csv.at("/spec/customresourcedefinitions/owned");
        ObjectNode registry = (ObjectNode) owned.get(0);
        descriptors.fields().forEachRemaining(e -> registry.set(e.getKey(), e.getValue()));
        // cert-manager is optional (a Certificate is made only where its CRD is installed): OLM must not require it
        ((ObjectNode) csv.at("/spec/customresourcedefinitions")).remove("required");
        ArrayNode related = ((ObjectNode) csv.get("spec")).putArray("relatedImages");
        Properties images = builtProperties();
        related.addObject().put("name", "regfleet-operator").put("image", images.getProperty("quarkus.container-image.image"));
        related.addObject().put("name", "registry-runtime").put("image", images.getProperty("regfleet.image.runtime"));
        return YAML.writeValueAsString(csv);
    }

    /** The operator's application.properties as the build filled it in (the root pom's image names). */
    static Properties builtProperties() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(GeneratedFiles.MODULE.resolve("target/classes/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }
}
