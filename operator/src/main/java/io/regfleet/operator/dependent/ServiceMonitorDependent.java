package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.EndpointBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.api.v1alpha1.Registry;

/** Prometheus Operator scraping of /q/metrics on the management port; only where that CRD is installed. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class ServiceMonitorDependent extends CRUDKubernetesDependentResource<ServiceMonitor, Registry> {
    public static final String NAME = "service-monitor";

    public ServiceMonitorDependent() {
        super(ServiceMonitor.class);
    }

    @Override
    protected ServiceMonitor desired(Registry registry, Context<Registry> context) {
        return build(registry);
    }

    public static ServiceMonitor build(Registry registry) {
        return new ServiceMonitorBuilder()
                .withNewMetadata()
                .withName(FleetNames.service(registry))
                .withNamespace(registry.getMetadata().getNamespace())
                .withLabels(FleetNames.labels(registry, "registry"))
                .endMetadata()
                .withNewSpec()
                .withSelector(new LabelSelectorBuilder().withMatchLabels(FleetNames.selectorLabels(registry)).build())
                .withEndpoints(new EndpointBuilder().withPort("management").withPath(PodContract.METRICS_PATH).withInterval("30s").build())
                .endSpec()
                .build();
    }
}
