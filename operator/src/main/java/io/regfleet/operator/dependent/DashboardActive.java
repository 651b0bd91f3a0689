package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.regfleet.operator.api.v1alpha1.Registry;

/**
 * The dashboard ConfigMap comes with the Prometheus Operator (its ServiceMonitor CRD: the dashboard reads what it
 * scrapes), unless spec.monitoring.dashboard is false; then it is deleted (reconcile precondition).
 */
public class DashboardActive extends CrdPresent<ConfigMap> {
    public DashboardActive() {
        super(ServiceMonitorCrdPresent.CRD);
    }

    /** Reconcile precondition: spec.monitoring.dashboard. */
    public static class Wanted implements Condition<ConfigMap, Registry> {
        @Override
        public boolean isMet(DependentResource<ConfigMap, Registry> dependent, Registry registry, Context<Registry> context) {
            return registry.getSpec().monitoringOrDefault().dashboardActive();
        }
    }
}
