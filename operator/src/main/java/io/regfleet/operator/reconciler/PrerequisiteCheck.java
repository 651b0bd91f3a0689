package io.regfleet.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.operator.api.v1alpha1.Registry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Checks a Registry's prerequisites: its database ({@link DatabaseCheck}), its storage ({@link StorageCheck}), its
 * access control ({@link AccessControlCheck}) and TLS ({@link TlsCheck}), with the Secrets it names read once from the
 * API server.
 */
@ApplicationScoped
public class PrerequisiteCheck {
    private final DatabaseCheck database;
    private final StorageCheck storage;

    public PrerequisiteCheck(DatabaseCheck database, StorageCheck storage) {
        this.database = database;
        this.storage = storage;
    }

    public Prerequisites check(Registry registry, Context<Registry> context) {
        ReferencedSecrets.Reads secrets = ReferencedSecrets.read(registry, context);
        DatabaseCheck.Result db = database.check(registry, secrets);
        return new Prerequisites(db.verdict(), storage.check(registry, secrets, context),
                db.server() == null ? null : db.server().limits(), secrets.version(),
                AccessControlCheck.check(registry, secrets), TlsCheck.check(registry, secrets, context, Instant.now()),
                db.server(), db.connection());
    }
}
