package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.operator.api.v1alpha1.FilesystemStorageSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.api.v1alpha1.S3StorageSpec;
import io.regfleet.operator.reconciler.Prerequisites.Verdict;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/**
 * StorageReady: with S3 credentials, the bucket answers HeadBucket for them; without (the pods' own identity, e.g.
 * IRSA, which is not the operator's), the spec alone. With a volume claim: the claim is Bound, or waits for its first
 * pod because its StorageClass binds on first use. The claim and its class are read from the API server (not watched:
 * the periodic recheck picks up a claim that binds).
 */
@ApplicationScoped
public class StorageCheck {
    private static final List<String> S3_KEYS = List.of("accessKeyId", "secretAccessKey");

    private final S3BucketProbe buckets;

    public StorageCheck(S3BucketProbe buckets) {
        this.buckets = buckets;
    }

    public Verdict check(Registry registry, ReferencedSecrets.Reads secrets, Context<Registry> context) {
        var storage = registry.getSpec().storage;
        return storage.s3 != null ? s3(storage.s3, secrets)
                : claim(storage.filesystem, registry.getMetadata().getNamespace(), context);
    }

    private Verdict s3(S3StorageSpec s3, ReferencedSecrets.Reads secrets) {
        if (s3.credentialsSecret == null || s3.credentialsSecret.isBlank()) {
            return Verdict.met(Reasons.STORAGE_CONFIGURED, "s3 bucket " + s3.bucket
                    + ", reached with the pods' own identity (not checked by the operator)");
        }
        SecretCheck credentials = SecretCheck.read(secrets.get(s3.credentialsSecret), s3.credentialsSecret, S3_KEYS);
        if (!credentials.ok()) {
            return Verdict.unmet(credentials.failureReason(), credentials.failureMessage());
        }
        return buckets.check(s3, credentials.values().get("accessKeyId"), credentials.values().get("secretAccessKey"));
    }

    private static Verdict claim(FilesystemStorageSpec filesystem, String namespace, Context<Registry> context) {
        String name = filesystem.claimName;
        PersistentVolumeClaim claim = context.getClient().persistentVolumeClaims().inNamespace(namespace).withName(name).get();
        if (claim == null) {
            return Verdict.unmet(Reasons.CLAIM_NOT_FOUND, "PersistentVolumeClaim " + name + " not found");
        }
        String phase = claim.getStatus() == null || claim.getStatus().getPhase() == null ? "Pending" : claim.getStatus().getPhase();
        if (phase.equals("Bound")) {
            return Verdict.met(Reasons.CLAIM_BOUND, "filesystem on PersistentVolumeClaim " + name);
        }
        if (phase.equals("Pending") && bindsOnFirstUse(claim, context)) {
            return Verdict.met(Reasons.STORAGE_CONFIGURED, "PersistentVolumeClaim " + name
                    + " binds when its first pod is scheduled (volumeBindingMode WaitForFirstConsumer)");
        }
        return Verdict.unmet(Reasons.CLAIM_NOT_BOUND, "PersistentVolumeClaim " + name + " is " + phase + ", not Bound");
    }

    private static boolean bindsOnFirstUse(PersistentVolumeClaim claim, Context<Registry> context) {
        return Optional.ofNullable(claim.getSpec().getStorageClassName())
                .map(name -> context.getClient().storage().v1().storageClasses().withName(name).get())
                .map(StorageClass::getVolumeBindingMode)
                .filter("WaitForFirstConsumer"::equals)
                .isPresent();
    }
}
