package io.regfleet.operator.dependent;

import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

/** Prometheus Operator scraping of the metrics on the management port; only where that CRD is installed. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class ServiceMonitorDependent extends FleetDependent<ServiceMonitor> implements Updater<ServiceMonitor, Registry> {
    public ServiceMonitorDependent() {
        super(ServiceMonitor.class, (registry, context) -> FleetObjects.serviceMonitor(registry));
    }
}
