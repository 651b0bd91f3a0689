package io.regfleet.e2e.k3s;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.regfleet.images.ProjectImages;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.MountableFile;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The operator as a user installs it: `kubectl apply -k` of config/default (CRD, RBAC, Deployment) unchanged,
 * through a generated overlay that only swaps the images for the ones loaded into the cluster: the operator's, and the
 * registry's that it runs for a Registry without spec.image (REGFLEET_IMAGE_RUNTIME, as a mirror would rewrite it).
 */
final class OperatorInstall {
    static final String NAMESPACE = "regfleet-system";
    static final String DEPLOYMENT = "regfleet-operator";
    /** the image config/default names (the root pom's, through config/manager's kustomize images entry) */
    private static final String MANIFEST_IMAGE = manifestImage();
    private static final String DIR = "/regfleet";

    private OperatorInstall() {
    }

    static void apply(RepositoryLayout repo, Kubectl cluster, String imageName, String imageTag, String runtimeImage) {
        // same relative layout as the repository: config/crd refers to ../../crds
        cluster.k3s().copyFileToContainer(MountableFile.forHostPath(repo.crds()), DIR + "/crds");
        cluster.k3s().copyFileToContainer(MountableFile.forHostPath(repo.config()), DIR + "/config");
        String overlay = """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                - ../config/default
                images:
                - name: %s
                  newName: %s
                  newTag: %s
                patches:
                - target:
                    kind: Deployment
                    name: %s
                  patch: |-
                    - op: add
                      path: /spec/template/spec/containers/0/env/-
                      value:
                        name: REGFLEET_IMAGE_RUNTIME
                        value: %s
                """.formatted(MANIFEST_IMAGE, imageName, imageTag, DEPLOYMENT, runtimeImage);
        cluster.k3s().copyFileToContainer(Transferable.of(overlay.getBytes(StandardCharsets.UTF_8)),
                DIR + "/e2e/kustomization.yaml");
        cluster.kubectl("apply", "-k", DIR + "/e2e");
        cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/registries.regfleet.io");
    }

    private static String manifestImage() {
        ProjectImages project = ProjectImages.load();
        return project.repository(project.registry(), project.operatorName());
    }

    /**
     * At least one replica ready: with leader election only the leader is sure to report ready, and one replica
     * is all the test needs to be reconciled.
     */
    static void awaitReady(KubernetesClient client) {
        client.apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT)
                .waitUntilCondition(OperatorInstall::hasReadyReplica, 5, TimeUnit.MINUTES);
    }

    private static boolean hasReadyReplica(Deployment d) {
        return d != null && d.getStatus() != null && d.getStatus().getReadyReplicas() != null
                && d.getStatus().getReadyReplicas() >= 1;
    }
}
