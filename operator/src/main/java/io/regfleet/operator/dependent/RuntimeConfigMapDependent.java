package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;

/** The runtime's non-secret settings, read as env by the registry pods and the migration Job. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class RuntimeConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, Registry> {
    public static final String NAME = "runtime-config";

    public RuntimeConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(Registry registry, Context<Registry> context) {
        return build(registry);
    }

    public static ConfigMap build(Registry registry) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(FleetNames.runtimeConfigMap(registry))
                .withNamespace(registry.getMetadata().getNamespace())
                .withLabels(FleetNames.labels(registry, "registry"))
                .endMetadata()
                .withData(RuntimeSettings.of(registry))
                .build();
    }
}
