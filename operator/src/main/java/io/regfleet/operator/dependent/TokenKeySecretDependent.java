package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.naming.FleetNames;

/**
 * The token signing key every replica of the Registry shares (mounted when spec.auth is set). Created once and never
 * updated: the key stays stable across reconciliations and operator restarts, and an admin's rotation of it (new
 * verify key first, then the signing key) is left as the admin wrote it. It goes with the Registry through its owner
 * reference; it is kept while spec.auth is absent, so the operator never needs to delete Secrets.
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class TokenKeySecretDependent extends FleetDependent<Secret> {
    public TokenKeySecretDependent() {
        super(Secret.class, (registry, context) -> FleetObjects.tokenKeySecret(registry));
    }
}
