package io.regfleet.operator.dependent;

import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.regfleet.operator.api.v1alpha1.Registry;

/** Activation condition: the ServiceMonitor dependent (and its informer) exist only where the CRD is installed. */
public class ServiceMonitorCrdPresent implements Condition<ServiceMonitor, Registry> {
    public static final String CRD = "servicemonitors.monitoring.coreos.com";

    @Override
    public boolean isMet(DependentResource<ServiceMonitor, Registry> dependent, Registry registry, Context<Registry> context) {
        return context.getClient().apiextensions().v1().customResourceDefinitions().withName(CRD).get() != null;
    }
}
