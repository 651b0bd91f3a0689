package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

/** The runtime's non-secret settings, read as env by the registry pods and the migration Job. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class RuntimeConfigMapDependent extends FleetDependent<ConfigMap> implements Updater<ConfigMap, Registry> {
    public RuntimeConfigMapDependent() {
        super(ConfigMap.class, (registry, context) -> FleetObjects.runtimeConfigMap(registry));
    }
}
