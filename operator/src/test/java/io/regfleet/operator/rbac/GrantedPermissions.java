package io.regfleet.operator.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the operator's two installs grant it: config/rbac (kubectl apply -k) and the OLM bundle's CSV. */
public final class GrantedPermissions {
    /** The repository's root (tests run in operator/). */
    public static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private GrantedPermissions() {
    }

    /** config/rbac/role.yaml (the ClusterRole) and leader_election_role.yaml (the Role of the operator's namespace). */
    public static Set<Permission> configRbac() {
        Set<Permission> granted = new LinkedHashSet<>();
        for (String file : List.of("config/rbac/role.yaml", "config/rbac/leader_election_role.yaml")) {
            for (JsonNode document : documents(ROOT.resolve(file))) {
                if (document.path("kind").asText().endsWith("Role")) {
                    granted.addAll(expand(rules(document.get("rules"))));
                }
            }
        }
        return granted;
    }

    /** The CSV's clusterPermissions and permissions (bundle/manifests, as committed). */
    public static Set<Permission> bundle() {
        JsonNode install = documents(ROOT.resolve("bundle/manifests/regfleet-operator.clusterserviceversion.yaml")).get(0)
                .at("/spec/install/spec");
        Set<Permission> granted = new LinkedHashSet<>();
        for (String kind : List.of("clusterPermissions", "permissions")) {
            for (JsonNode permission : install.path(kind)) {
                granted.addAll(expand(rules(permission.get("rules"))));
            }
        }
        return granted;
    }

    public static Set<Permission> expand(List<PolicyRule> rules) {
        Set<Permission> out = new LinkedHashSet<>();
        for (PolicyRule rule : rules) {
            for (String g : rule.getApiGroups()) {
                for (String r : rule.getResources()) {
                    for (String v : rule.getVerbs()) {
                        out.add(new Permission(g, r, v));
                    }
                }
            }
        }
        return out;
    }

    private static List<PolicyRule> rules(JsonNode rules) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<PolicyRule> out = new ArrayList<>();
        rules.forEach(rule -> out.add(serialization.convertValue(rule, PolicyRule.class)));
        return out;
    }

    private static List<JsonNode> documents(Path file) {
        try {
            return YAML.readValues(YAML.getFactory().createParser(Files.readString(file)), JsonNode.class).readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
