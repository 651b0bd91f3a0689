package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.probe.DatabaseConnectionInfo;
import io.regfleet.control.probe.DatabaseLimitsProbe;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.reconciler.Prerequisites.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.List;

/**
 * Checks a Registry's prerequisites: the database Secret's keys, the live database's limits over the probe's own
 * short connection, and the storage (the S3 credentials Secret's keys, the volume claim). Secrets are read from the
 * watched cache; the claim, which is not watched, from the API server.
 */
@ApplicationScoped
public class PrerequisiteCheck {
    private static final Logger LOG = Logger.getLogger(PrerequisiteCheck.class);
    private static final List<String> DATABASE_KEYS = List.of("host", "port", "database", "user", "password");
    private static final List<String> S3_KEYS = List.of("accessKeyId", "secretAccessKey");

    private final DatabaseLimitsProbe probe;

    public PrerequisiteCheck(DatabaseLimitsProbe probe) {
        this.probe = probe;
    }

    public Prerequisites check(Registry registry, Context<Registry> context) {
        Verdict storage = storage(registry, context);
        RegistrySpec spec = registry.getSpec();
        String secretName = spec.database.secretName;
        SecretCheck secret = SecretCheck.read(ReferencedSecrets.get(context, registry.getMetadata().getNamespace(), secretName),
                secretName, DATABASE_KEYS);
        if (!secret.ok()) {
            return new Prerequisites(Verdict.unmet(secret.failureReason(), secret.failureMessage()), storage, null);
        }
        DatabaseConnectionInfo connection;
        try {
            connection = new DatabaseConnectionInfo(secret.values().get("host"), Integer.parseInt(secret.values().get("port")),
                    secret.values().get("database"), secret.values().get("user"), secret.values().get("password"),
                    spec.database.sslMode.value());
        } catch (NumberFormatException e) {
            return new Prerequisites(Verdict.unmet(Reasons.SECRET_KEY_MISSING, "Secret " + secretName + " key port is not a number"),
                    storage, null);
        }
        try {
            DatabaseLimits limits = probe.probe(connection);
            return new Prerequisites(Verdict.met(Reasons.CONNECTED,
                    "max_connections " + limits.maxConnections() + (limits.aurora() ? " (Aurora)" : "")), storage, limits);
        } catch (SQLException e) {
            LOG.debugf(e, "database probe failed for %s/%s", registry.getMetadata().getNamespace(), registry.getMetadata().getName());
            return new Prerequisites(Verdict.unmet(Reasons.DATABASE_UNREACHABLE, "cannot read the limits of " + connection.host()
                    + ":" + connection.port() + "/" + connection.database() + ": " + e.getMessage()), storage, null);
        }
    }

    private static Verdict storage(Registry registry, Context<Registry> context) {
        var storage = registry.getSpec().storage;
        String namespace = registry.getMetadata().getNamespace();
        if (storage.s3 != null && storage.s3.credentialsSecret != null && !storage.s3.credentialsSecret.isBlank()) {
            SecretCheck s3 = SecretCheck.read(ReferencedSecrets.get(context, namespace, storage.s3.credentialsSecret),
                    storage.s3.credentialsSecret, S3_KEYS);
            if (!s3.ok()) {
                return Verdict.unmet(s3.failureReason(), s3.failureMessage());
            }
        }
        if (storage.filesystem != null) {
            PersistentVolumeClaim claim = context.getClient().persistentVolumeClaims().inNamespace(namespace)
                    .withName(storage.filesystem.claimName).get();
            if (claim == null) {
                return Verdict.unmet(Reasons.CLAIM_NOT_FOUND, "PersistentVolumeClaim " + storage.filesystem.claimName + " not found");
            }
        }
        return Verdict.met(Reasons.STORAGE_CONFIGURED,
                storage.s3 != null ? "s3 bucket " + storage.s3.bucket : "filesystem on claim " + storage.filesystem.claimName);
    }
}
