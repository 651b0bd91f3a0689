package io.regfleet.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.certmanager.Certificate;

/**
 * Activation condition: the Certificate dependent (and its informer) exist only where cert-manager's CRD is installed,
 * as the ServiceMonitor's; without it a Registry with spec.tls.issuerRef reports TLSReady=False instead.
 */
public class CertManagerCrdPresent implements Condition<Certificate, Registry> {
    @Override
    public boolean isMet(DependentResource<Certificate, Registry> dependent, Registry registry, Context<Registry> context) {
        return installed(context);
    }

    public static boolean installed(Context<Registry> context) {
        return context.getClient().apiextensions().v1().customResourceDefinitions().withName(Certificate.CRD).get() != null;
    }
}
