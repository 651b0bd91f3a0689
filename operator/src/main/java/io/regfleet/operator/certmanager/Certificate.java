package io.regfleet.operator.certmanager;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * cert-manager's {@code cert-manager.io/v1} Certificate, the few fields the operator writes and reads: cert-manager's
 * own CRD defines the type (the operator generates no CRD for it, see application.properties).
 */
@Group("cert-manager.io")
@Version("v1")
public class Certificate extends CustomResource<CertificateSpec, CertificateStatus> implements Namespaced {
    /** The CRD whose presence means cert-manager is installed. */
    public static final String CRD = "certificates.cert-manager.io";
}
