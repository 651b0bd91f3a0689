package io.regfleet.operator.dependent;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.certmanager.Certificate;
import io.regfleet.operator.naming.FleetNames;

/** The cert-manager Certificate of a Registry with spec.tls.issuerRef (see {@link FleetObjects#certificate}). */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class CertificateDependent extends FleetDependent<Certificate> implements Updater<Certificate, Registry> {
    public CertificateDependent() {
        super(Certificate.class, (registry, context) -> FleetObjects.certificate(registry));
    }
}
