package io.regfleet.operator.dependent;

import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.regfleet.operator.api.v1alpha1.Registry;

/**
 * Where the PrometheusRule CRD is installed, and spec.monitoring.alerts is not false; when the CRD is there and the
 * spec turns alerts off, the rule is deleted (reconcile precondition). Checked in this order, so no informer on
 * PrometheusRules starts where the CRD is missing.
 */
public class AlertsActive extends CrdPresent<PrometheusRule> {
    public static final String CRD = "prometheusrules.monitoring.coreos.com";

    public AlertsActive() {
        super(CRD);
    }

    /** Reconcile precondition: spec.monitoring.alerts. */
    public static class Wanted implements Condition<PrometheusRule, Registry> {
        @Override
        public boolean isMet(DependentResource<PrometheusRule, Registry> dependent, Registry registry, Context<Registry> context) {
            return registry.getSpec().monitoringOrDefault().alertsActive();
        }
    }
}
