package io.regfleet.operator.api.v1alpha1;

/** The condition types and reasons a Registry reports (metav1.Condition shaped, reasons in CamelCase). */
public final class RegistryConditions {
    /** The summary: the current generation runs, every pod ready, within the budget. */
    public static final String READY = "Ready";
    /** The prerequisites, and what the live database allows. */
    public static final String DATABASE_READY = "DatabaseReady", STORAGE_READY = "StorageReady",
            CONNECTION_BUDGET_READY = "ConnectionBudgetReady";
    /** Access control and TLS of the registry API: what spec.auth and spec.tls name is usable. */
    public static final String ACCESS_CONTROL_READY = "AccessControlReady", TLS_READY = "TLSReady";
    /** Every read replica fits its budget and every pod reads from it; absent without spec.database.readReplicas. */
    public static final String READ_REPLICAS_READY = "ReadReplicasReady";
    /** The last verify Job's verdict on the whole store. */
    public static final String INTEGRITY_VERIFIED = "IntegrityVerified";
    /** The rollout: the schema migration, then the pods. */
    public static final String SCHEMA_READY = "SchemaReady", PROGRESSING = "Progressing";
    /** The last reconciliation failed (its message says why). */
    public static final String RECONCILE_ERROR = "ReconcileError";

    /** A condition's status. */
    public static final String TRUE = "True", FALSE = "False", UNKNOWN = "Unknown";

    /** Reasons, one per cause. */
    public static final class Reasons {
        public static final String SECRET_NOT_FOUND = "SecretNotFound";
        public static final String SECRET_KEY_MISSING = "SecretKeyMissing";
        public static final String DATABASE_UNREACHABLE = "DatabaseUnreachable";
        public static final String TLS_VERIFICATION_FAILED = "TLSVerificationFailed";
        public static final String TLS_UNAVAILABLE = "TLSUnavailable";
        public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
        public static final String DATABASE_NOT_FOUND = "DatabaseNotFound";
        public static final String CONNECTED = "Connected";
        public static final String CLAIM_NOT_FOUND = "ClaimNotFound";
        public static final String CLAIM_NOT_BOUND = "ClaimNotBound";
        public static final String CLAIM_BOUND = "ClaimBound";
        public static final String BUCKET_NOT_FOUND = "BucketNotFound";
        public static final String ACCESS_DENIED = "AccessDenied";
        public static final String STORAGE_UNREACHABLE = "StorageUnreachable";
        public static final String BUCKET_FOUND = "BucketFound";
        /** S3 without a credentials Secret: the pods' own identity (IRSA) is not the operator's, so it is not checked. */
        public static final String STORAGE_CONFIGURED = "StorageConfigured";
        public static final String ACCESS_CONTROL_OFF = "AccessControlOff";
        public static final String ACCESS_CONTROL_CONFIGURED = "AccessControlConfigured";
        public static final String USERS_UNPARSABLE = "UsersUnparsable";
        public static final String SIGNING_KEY_UNPARSABLE = "SigningKeyUnparsable";
        public static final String JWKS_UNPARSABLE = "JwksUnparsable";
        public static final String TLS_OFF = "TLSOff";
        public static final String CERTIFICATE_VALID = "CertificateValid";
        public static final String CERTIFICATE_UNPARSABLE = "CertificateUnparsable";
        public static final String CERTIFICATE_KEY_MISMATCH = "CertificateKeyMismatch";
        public static final String CERTIFICATE_EXPIRED = "CertificateExpired";
        public static final String CERT_MANAGER_NOT_INSTALLED = "CertManagerNotInstalled";
        /** spec.tls.issuerRef with cert-manager installed, before the Certificate is seen issued. */
        public static final String CERTIFICATE_REQUESTED = "CertificateRequested";
        public static final String CERTIFICATE_NOT_READY = "CertificateNotReady";
        public static final String CERTIFICATE_ISSUED = "CertificateIssued";
        public static final String VERIFY_RUNNING = "VerifyRunning";
        public static final String STORE_VERIFIED = "StoreVerified";
        public static final String INTEGRITY_FAILURES = "IntegrityFailures";
        public static final String VERIFY_INCOMPLETE = "VerifyIncomplete";
        public static final String BUDGET_FITS = "BudgetFits";
        public static final String BUDGET_TOO_SMALL = "BudgetTooSmall";
        public static final String BUDGET_UNKNOWN = "BudgetUnknown";
        /** Its share of a server other Registries hold: its pods wait until they have released it. */
        public static final String BUDGET_PENDING = "BudgetPending";
        /** Not even its minimum (or one pod at the per-pod minimum) fits what the other Registries on its server hold. */
        public static final String NO_ROOM_ON_SERVER = "NoRoomOnServer";
        /** A read replica's budget leaves less than one connection per pod that can exist: the pods do not use it. */
        public static final String NO_ROOM_ON_REPLICA = "NoRoomOnReplica";
        public static final String REPLICAS_SERVING = "ReplicasServing";
        /** A "read replica" that is the primary itself (the same server, not in recovery): the pods do not use it. */
        public static final String NOT_A_REPLICA = "NotAReplica";
        /** A pod stopped reading from a replica (it lags beyond spec.database.replicaMaxLag). */
        public static final String REPLICA_QUARANTINED = "ReplicaQuarantined";
        /** The operator's probe, or a pod, cannot reach a replica. */
        public static final String REPLICA_UNREACHABLE = "ReplicaUnreachable";
        /** No pod reported on the replicas yet. */
        public static final String REPLICAS_NOT_REPORTED = "ReplicasNotReported";
        public static final String MIGRATION_RUNNING = "MigrationRunning";
        public static final String MIGRATION_FAILED = "MigrationFailed";
        public static final String MIGRATION_SUCCEEDED = "MigrationSucceeded";
        public static final String ROLLING_OUT = "RollingOut";
        public static final String ROLLED_OUT = "RolledOut";
        public static final String ALL_REPLICAS_READY = "AllReplicasReady";
        public static final String REPLICAS_NOT_READY = "ReplicasNotReady";
        public static final String PREREQUISITES_NOT_MET = "PrerequisitesNotMet";
        public static final String INVALID_SPEC = "InvalidSpec";
        public static final String RECONCILE_FAILED = "ReconcileFailed";
        public static final String RECONCILED = "Reconciled";

        private Reasons() {
        }
    }

    private RegistryConditions() {
    }
}
