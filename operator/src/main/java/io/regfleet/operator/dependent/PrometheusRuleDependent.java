package io.regfleet.operator.dependent;

import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

/** The Registry's alerts for the Prometheus Operator ({@link MonitoringObjects#alerts}). */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class PrometheusRuleDependent extends FleetDependent<PrometheusRule> implements Updater<PrometheusRule, Registry> {
    public PrometheusRuleDependent() {
        super(PrometheusRule.class, (registry, context) -> MonitoringObjects.alerts(registry));
    }
}
