package io.regfleet.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.certmanager.Certificate;

/** Reconcile precondition: a Certificate exists while spec.tls.issuerRef is set (then it is deleted). */
public class CertificateWanted implements Condition<Certificate, Registry> {
    @Override
    public boolean isMet(DependentResource<Certificate, Registry> dependent, Registry registry, Context<Registry> context) {
        return registry.getSpec().tls != null && registry.getSpec().tls.issuerRef != null;
    }
}
