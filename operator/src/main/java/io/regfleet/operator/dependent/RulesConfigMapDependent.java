package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

/**
 * The rules files (access rules, retention): a volume of every pod. The kubelet refreshes a ConfigMap volume in place,
 * so changed access rules reach the running pods without a restart; changed retention rules restart them (the
 * runtime reads those once, see {@link RuntimeSettings#configHash}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class RulesConfigMapDependent extends FleetDependent<ConfigMap> implements Updater<ConfigMap, Registry> {
    public RulesConfigMapDependent() {
        super(ConfigMap.class, (registry, context) -> FleetObjects.rulesConfigMap(registry));
    }
}
