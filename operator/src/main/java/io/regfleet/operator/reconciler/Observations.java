package io.regfleet.operator.reconciler;

import io.regfleet.operator.api.v1alpha1.GarbageCollectionStatus;
import io.regfleet.operator.reconciler.Prerequisites.Verdict;
import io.regfleet.operator.replica.ReplicaSightings;

import java.util.Map;
import java.util.Optional;

/**
 * What a reconciliation that ran the workflow observed besides the rollout.
 *
 * @param certificate       with spec.tls.issuerRef: whether cert-manager issued the Certificate (TLSReady)
 * @param verify            the newest verify Job (IntegrityVerified, status.verification)
 * @param garbageCollection the pods' collectors, summed; empty when not read this time (status keeps the last)
 * @param readReplicas      the pods' read-replica reports, by replica; empty when not read this time
 */
record Observations(Optional<Verdict> certificate, VerifyProgress verify, Optional<GarbageCollectionStatus> garbageCollection,
                    Optional<Map<String, ReplicaSightings>> readReplicas) {
    static final Observations NONE = new Observations(Optional.empty(), new VerifyProgress.None(), Optional.empty(),
            Optional.empty());
}
