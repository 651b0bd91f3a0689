package io.regfleet.operator.generated;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.dependent.MigrationJobDependent;
import io.regfleet.operator.rbac.GrantedPermissions;
import io.regfleet.operator.rbac.OperatorRequests;
import io.regfleet.operator.rbac.Permission;
import io.regfleet.operator.reconciler.RegistryReconciler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Renders config/default with kubectl's kustomize and checks the RBAC covers everything the operator touches. */
class KustomizeRbacTest {
    private static final Path KUBECTL = Path.of(System.getProperty("regfleet.kubectl", "/usr/bin/kubectl"));
    private static List<HasMetadata> rendered;

    @BeforeAll
    static void render() throws IOException, InterruptedException {
        if (!Files.isExecutable(KUBECTL)) {
            fail("kubectl (with kustomize v5) is required at " + KUBECTL + " to render config/default; install it "
                    + "(e.g. apt-get install kubectl) or point -Dregfleet.kubectl at it");
        }
        Process p = new ProcessBuilder(KUBECTL.toString(), "kustomize", GeneratedFiles.ROOT.resolve("config/default").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize timed out");
        assertEquals(0, p.exitValue(), "kubectl kustomize config/default failed:\n" + out);
        KubernetesSerialization serialization = new KubernetesSerialization();
        rendered = new ArrayList<>();
        for (String doc : out.split("(?m)^---$")) {
            if (!doc.isBlank()) {
                rendered.add(serialization.unmarshal(doc));
            }
        }
    }

    /**
     * What the operator does, derived from the code: the workflow's dependents plus the reconciler's own reads. The
     * requests themselves are checked against this role as the tests make them (MockClusterTestBase); this is the
     * upper bound, so that the role grants nothing else.
     */
    static Set<Permission> required() {
        Set<Permission> needed = new LinkedHashSet<>();
        String group = HasMetadata.getGroup(Registry.class);
        String plural = HasMetadata.getPlural(Registry.class);
        for (String verb : List.of("get", "list", "watch")) {
            needed.add(new Permission(group, plural, verb));
        }
        needed.add(new Permission(group, plural + "/status", "patch"));
        for (String verb : List.of("get", "list", "watch")) {
            needed.add(new Permission("", "secrets", verb)); // referenced Secrets are watched, and read
        }
        needed.add(new Permission("", "pods", "list")); // the rebalancer's pod discovery, a migration pod's wait
        needed.add(new Permission("", "pods/log", "get")); // a verify Job's summary line
        needed.add(new Permission("", "events", "create")); // the rebalancer's events
        needed.add(new Permission("", "persistentvolumeclaims", "get"));
        needed.add(new Permission("storage.k8s.io", "storageclasses", "get"));
        needed.add(new Permission("apiextensions.k8s.io", "customresourcedefinitions", "get"));
        for (Dependent dependent : RegistryReconciler.class.getAnnotation(Workflow.class).dependents()) {
            Class<? extends HasMetadata> type = OperatorRequests.resourceType(dependent.type());
            String g = HasMetadata.getGroup(type);
            String r = HasMetadata.getPlural(type);
            // server-side apply: a PATCH, authorized as create too when it creates
            List<String> verbs = new ArrayList<>(List.of("get", "list", "watch", "create", "patch"));
            if (Updater.class.isAssignableFrom(dependent.type())) {
                verbs.add("update"); // when SSA is switched off
            }
            if (!dependent.reconcilePrecondition().equals(Condition.class) || !dependent.activationCondition().equals(Condition.class)
                    || dependent.type() == MigrationJobDependent.class) {
                verbs.add("delete"); // dependents whose precondition turned false, superseded and failed migration Jobs
            }
            verbs.forEach(v -> needed.add(new Permission(g == null ? "" : g, r, v)));
        }
        return needed;
    }

    @Test
    void theClusterRoleCoversEveryResourceTheOperatorTouches() {
        ClusterRole role = rendered.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).findFirst().orElseThrow();
        Set<Permission> granted = expand(role.getRules());
        Set<Permission> missing = new LinkedHashSet<>(required());
        missing.removeAll(granted);
        assertTrue(missing.isEmpty(), "config/rbac/role.yaml lacks " + missing);
    }

    @Test
    void theClusterRoleGrantsNothingElse() {
        ClusterRole role = rendered.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).findFirst().orElseThrow();
        Set<Permission> extra = expand(role.getRules());
        extra.removeAll(required());
        extra.remove(new Permission(Registry.GROUP, "registries/status", "update")); // status update when SSA is off
        assertTrue(extra.isEmpty(), "config/rbac/role.yaml grants more than the operator uses: " + extra);
        assertTrue(role.getRules().stream().noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*")), "no wildcards");
    }

    @Test
    void leaderElectionHasItsLeaseInTheOperatorNamespace() {
        Role role = rendered.stream().filter(Role.class::isInstance).map(Role.class::cast).findFirst().orElseThrow();
        assertEquals("regfleet-system", role.getMetadata().getNamespace());
        Set<Permission> granted = expand(role.getRules());
        for (String verb : List.of("get", "create", "update", "patch")) {
            assertTrue(granted.contains(new Permission("coordination.k8s.io", "leases", verb)), "leases " + verb);
        }
    }

    @Test
    void theOperatorRunsRestricted() {
        Deployment d = rendered.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        assertEquals("regfleet-system", d.getMetadata().getNamespace());
        var pod = d.getSpec().getTemplate().getSpec();
        assertEquals("regfleet-operator", pod.getServiceAccountName());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        var sc = pod.getContainers().get(0).getSecurityContext();
        assertTrue(sc.getRunAsNonRoot());
        assertTrue(sc.getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
        assertTrue(rendered.stream().anyMatch(o -> o.getKind().equals("CustomResourceDefinition")
                && o.getMetadata().getName().equals("registries.regfleet.io")), "the CRD is part of config/default");
    }

    private static Set<Permission> expand(List<PolicyRule> rules) {
        return GrantedPermissions.expand(rules);
    }
}
