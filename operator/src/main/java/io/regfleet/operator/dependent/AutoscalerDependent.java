package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.plan.RegistryPlan;

/** CPU autoscaling of the registry Deployment; its maximum is the budget's, never more than the spec's. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class AutoscalerDependent extends CRUDKubernetesDependentResource<HorizontalPodAutoscaler, Registry> {
    public static final String NAME = "autoscaler";

    public AutoscalerDependent() {
        super(HorizontalPodAutoscaler.class);
    }

    @Override
    protected HorizontalPodAutoscaler desired(Registry registry, Context<Registry> context) {
        return build(registry, RegistryPlan.of(context));
    }

    public static HorizontalPodAutoscaler build(Registry registry, RegistryPlan plan) {
        return new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withName(FleetNames.deployment(registry))
                .withNamespace(registry.getMetadata().getNamespace())
                .withLabels(FleetNames.labels(registry, "registry"))
                .endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
                .withName(FleetNames.deployment(registry)).endScaleTargetRef()
                .withMinReplicas(plan.fleet().hpaMinReplicas())
                .withMaxReplicas(plan.fleet().budget().maxReplicas())
                .withMetrics(new MetricSpecBuilder().withType("Resource")
                        .withNewResource().withName("cpu")
                        .withNewTarget().withType("Utilization")
                        .withAverageUtilization(registry.getSpec().autoscaling.targetCPUUtilizationPercentage)
                        .endTarget().endResource().build())
                .endSpec()
                .build();
    }
}
