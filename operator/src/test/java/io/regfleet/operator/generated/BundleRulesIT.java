package io.regfleet.operator.generated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed bundle/ against the rules OperatorHub's validators (operator-sdk bundle validate, the operatorhub
 * and good-practices suites) apply: the fields a CSV must have and their forms, the owned CRD's descriptors, the
 * images, the version in one form everywhere, and the bundle's annotations and Dockerfile labels agreeing.
 */
class BundleRulesIT {
    private static final Path BUNDLE = GeneratedFiles.ROOT.resolve("bundle");
    private static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");
    private static final Set<String> CAPABILITIES = Set.of("Basic Install", "Seamless Upgrades", "Full Lifecycle",
            "Deep Insights", "Auto Pilot");
    private static final Set<String> CATEGORIES = Set.of("AI/Machine Learning", "Application Runtime", "Big Data",
            "Cloud Provider", "Database", "Developer Tools", "Drivers and plugins", "Integration & Delivery",
            "Logging & Tracing", "Modernization & Migration", "Monitoring", "Networking", "OpenShift Optional", "Security",
            "Storage", "Streaming & Messaging");
    private static final Set<String> ICON_TYPES = Set.of("image/png", "image/svg+xml", "image/jpeg", "image/gif");
    private static final Set<String> INSTALL_MODES = Set.of("OwnNamespace", "SingleNamespace", "MultiNamespace", "AllNamespaces");

    private static JsonNode csv;
    private static JsonNode crd;
    private static Map<String, String> annotations;

    @BeforeAll
    static void read() throws IOException {
        List<JsonNode> manifests = new ArrayList<>();
        try (var files = Files.list(BUNDLE.resolve("manifests"))) {
            for (Path file : files.sorted().toList()) {
                manifests.add(BundleDriftIT.YAML.readTree(Files.readString(file)));
            }
        }
        List<JsonNode> csvs = manifests.stream().filter(m -> m.path("kind").asText().equals("ClusterServiceVersion")).toList();
        assertEquals(1, csvs.size(), "one CSV in bundle/manifests");
        csv = csvs.get(0);
        crd = manifests.stream().filter(m -> m.path("kind").asText().equals("CustomResourceDefinition")).findFirst().orElseThrow();
        annotations = new TreeMap<>();
        BundleDriftIT.YAML.readTree(Files.readString(BUNDLE.resolve("metadata/annotations.yaml"))).get("annotations").fields()
                .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    }

    @Test
    void theCsvHasEveryRequiredFieldInItsForm() {
        JsonNode spec = csv.get("spec");
        assertEquals("operators.coreos.com/v1alpha1", csv.path("apiVersion").asText());
        for (String field : List.of("displayName", "description", "version", "maturity", "minKubeVersion")) {
            assertFalse(spec.path(field).asText().isBlank(), "spec." + field);
        }
        assertTrue(spec.get("description").asText().length() > 100, "a description a user can decide on");
        assertTrue(SEMVER.matcher(spec.get("minKubeVersion").asText()).matches(), "minKubeVersion is semver");
        assertFalse(spec.path("provider").path("name").asText().isBlank(), "spec.provider.name");
        assertFalse(spec.path("keywords").isEmpty(), "spec.keywords");
        assertFalse(spec.path("maintainers").isEmpty(), "spec.maintainers");
        for (JsonNode maintainer : spec.get("maintainers")) {
            assertFalse(maintainer.path("name").asText().isBlank());
            assertTrue(maintainer.path("email").asText().matches("[^@\\s]+@[^@\\s]+\\.[a-z]+"), "maintainer email " + maintainer);
        }
        assertFalse(spec.path("links").isEmpty(), "spec.links");
        for (JsonNode link : spec.get("links")) {
            assertFalse(link.path("name").asText().isBlank());
            assertTrue(link.path("url").asText().startsWith("https://"), "link " + link);
        }
        assertFalse(spec.path("icon").isEmpty(), "spec.icon");
        for (JsonNode icon : spec.get("icon")) {
            assertTrue(ICON_TYPES.contains(icon.path("mediatype").asText()), "icon mediatype " + icon.path("mediatype"));
            assertFalse(icon.path("base64data").asText().isBlank());
        }
        JsonNode meta = csv.at("/metadata/annotations");
        assertTrue(CAPABILITIES.contains(meta.path("capabilities").asText()), "capabilities " + meta.path("capabilities"));
        for (String category : meta.path("categories").asText().split(",")) {
            assertTrue(CATEGORIES.contains(category.trim()), "category " + category);
        }
        assertTrue(meta.path("repository").asText().startsWith("https://"), "repository");
        assertEquals("deployment", spec.at("/install/strategy").asText());
    }

    @Test
    void oneVersionNamesTheCsvTheBundleAndTheImages() {
        String version = csv.at("/spec/version").asText();
        assertTrue(SEMVER.matcher(version).matches(), "spec.version is semver: " + version);
        assertEquals(System.getProperty("regfleet.version"), version, "the root pom's regfleet.version");
        assertEquals(version.toLowerCase(Locale.ROOT), version, "a CSV's name is lower case, so is its version");
        String pkg = annotations.get("operators.operatorframework.io.bundle.package.v1");
        assertEquals(pkg + ".v" + version, csv.at("/metadata/name").asText(), "the CSV's name is <package>.v<version>");
        JsonNode container = csv.at("/spec/install/spec/deployments/0/spec/template/spec/containers/0");
        assertTrue(container.get("image").asText().endsWith(":" + version), "the operator image is tagged with the version");
        assertEquals(container.get("image").asText(), csv.at("/metadata/annotations/containerImage").asText());
        String replaces = csv.at("/spec/replaces").asText("");
        assertTrue(replaces.isEmpty() || replaces.matches(Pattern.quote(pkg) + "\\.v.+"), "replaces names a CSV of the package");
        Matcher skip = Pattern.compile("<(.+)").matcher(csv.at("/metadata/annotations/olm.skipRange").asText());
        assertTrue(skip.matches(), "olm.skipRange lets every earlier version upgrade straight to this one");
        assertEquals(version, skip.group(1));
    }

    @Test
    void everyImageIsARelatedImage() {
        Set<String> related = new HashSet<>();
        csv.at("/spec/relatedImages").forEach(i -> related.add(i.get("image").asText()));
        Set<String> used = new HashSet<>();
        csv.at("/spec/install/spec/deployments").forEach(d -> d.at("/spec/template/spec/containers").forEach(c -> {
            used.add(c.get("image").asText());
            c.path("env").forEach(e -> {
                if (e.path("name").asText().equals("REGFLEET_IMAGE_RUNTIME")) {
                    used.add(e.get("value").asText()); // the operand's image, handed to the operator
                }
            });
        }));
        assertEquals(2, used.size(), "the operator's image and the registry's: " + used);
        assertEquals(used, related, "relatedImages lists every image the bundle runs (disconnected mirrors copy these)");
        Set<String> names = new HashSet<>();
        csv.at("/spec/relatedImages").forEach(i -> assertTrue(names.add(i.get("name").asText()), "unique relatedImages names"));
    }

    @Test
    void everyInstallModeIsDeclaredAndTheDeploymentFollowsTheTargetNamespaces() {
        Set<String> declared = new HashSet<>();
        csv.at("/spec/installModes").forEach(m -> {
            declared.add(m.get("type").asText());
            assertTrue(m.get("supported").isBoolean());
        });
        assertEquals(INSTALL_MODES, declared);
        // what makes the declared modes true: the controller watches OLM's target namespaces ("" for all of them)
        JsonNode env = csv.at("/spec/install/spec/deployments/0/spec/template/spec/containers/0/env");
        assertTrue(StreamSupport.stream(env.spliterator(), false).anyMatch(e ->
                e.path("name").asText().equals("QUARKUS_OPERATOR_SDK_CONTROLLERS_REGISTRY_NAMESPACES")
                        && e.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.annotations['olm.targetNamespaces']")));
    }

    @Test
    void theOwnedCrdIsDescribedFieldByField() throws IOException {
        JsonNode owned = csv.at("/spec/customresourcedefinitions/owned");
        assertEquals(1, owned.size());
        JsonNode registry = owned.get(0);
        assertEquals(crd.at("/metadata/name").asText(), registry.get("name").asText());
        assertEquals(crd.at("/spec/names/kind").asText(), registry.get("kind").asText());
        assertEquals(crd.at("/spec/versions/0/name").asText(), registry.get("version").asText());
        assertFalse(registry.path("displayName").asText().isBlank());
        assertFalse(registry.path("description").asText().isBlank());
        JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties");
        for (String part : List.of("spec", "status")) {
            JsonNode properties = schema.at("/" + part + "/properties");
            List<String> paths = new ArrayList<>();
            registry.get(part + "Descriptors").forEach(d -> paths.add(d.get("path").asText()));
            properties.fieldNames().forEachRemaining(field -> assertTrue(paths.stream().anyMatch(p -> p.equals(field)
                    || p.startsWith(field + ".")), part + "." + field + " has no " + part + "Descriptor (src/bundle/descriptors.yaml)"));
            for (String path : paths) {
                JsonNode node = schema.get(part);
                for (String step : path.split("\\.")) {
                    node = node.path("properties").path(step);
                }
                assertFalse(node.isMissingNode(), part + "Descriptor " + path + " names no field of the CRD");
            }
        }
        JsonNode examples = new ObjectMapper().readTree(csv.at("/metadata/annotations/alm-examples").asText());
        assertFalse(examples.isEmpty());
        examples.forEach(e -> assertEquals(registry.get("kind").asText(), e.get("kind").asText(), "alm-examples are owned kinds"));
    }

    @Test
    void theBundlesAnnotationsAndDockerfileLabelsAgree() throws IOException {
        assertEquals("registry+v1", annotations.get("operators.operatorframework.io.bundle.mediatype.v1"));
        assertEquals("manifests/", annotations.get("operators.operatorframework.io.bundle.manifests.v1"));
        assertEquals("metadata/", annotations.get("operators.operatorframework.io.bundle.metadata.v1"));
        String channels = annotations.get("operators.operatorframework.io.bundle.channels.v1");
        assertTrue(List.of(channels.split(",")).contains(annotations.get("operators.operatorframework.io.bundle.channel.default.v1")),
                "the default channel is one of the channels");
        Map<String, String> labels = new TreeMap<>();
        List<String> copies = new ArrayList<>();
        for (String line : Files.readAllLines(BUNDLE.resolve("bundle.Dockerfile"))) {
            if (line.startsWith("LABEL ")) {
                String label = line.substring("LABEL ".length());
                labels.put(label.substring(0, label.indexOf('=')), label.substring(label.indexOf('=') + 1));
            } else if (line.startsWith("COPY ")) {
                copies.add(line);
            }
        }
        assertEquals(annotations, labels, "bundle.Dockerfile's labels are metadata/annotations.yaml's");
        assertEquals(List.of("COPY manifests /manifests/", "COPY metadata /metadata/"), copies);
    }
}
