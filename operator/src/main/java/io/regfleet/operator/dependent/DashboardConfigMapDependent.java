package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

/** The Registry's Grafana dashboard, for Grafana's dashboard sidecar ({@link MonitoringObjects#dashboard}). */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class DashboardConfigMapDependent extends FleetDependent<ConfigMap> implements Updater<ConfigMap, Registry> {
    public DashboardConfigMapDependent() {
        super(ConfigMap.class, (registry, context) -> MonitoringObjects.dashboard(registry));
    }
}
