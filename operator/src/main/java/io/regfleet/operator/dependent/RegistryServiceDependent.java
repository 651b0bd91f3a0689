package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.api.v1alpha1.Registry;

/** The registry API (http, 5000) and the management port (9000) scraped for metrics. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class RegistryServiceDependent extends CRUDKubernetesDependentResource<Service, Registry> {
    public static final String NAME = "service";

    public RegistryServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(Registry registry, Context<Registry> context) {
        return build(registry);
    }

    public static Service build(Registry registry) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(FleetNames.service(registry))
                .withNamespace(registry.getMetadata().getNamespace())
                .withLabels(FleetNames.labels(registry, "registry"))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(FleetNames.selectorLabels(registry))
                .withPorts(
                        new ServicePortBuilder().withName("http").withPort(PodContract.HTTP_PORT)
                                .withTargetPort(new IntOrString("http")).withProtocol("TCP").build(),
                        new ServicePortBuilder().withName("management").withPort(PodContract.MANAGEMENT_PORT)
                                .withTargetPort(new IntOrString("management")).withProtocol("TCP").build())
                .endSpec()
                .build();
    }
}
