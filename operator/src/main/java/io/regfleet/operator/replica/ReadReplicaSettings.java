package io.regfleet.operator.replica;

import io.regfleet.operator.api.v1alpha1.DatabaseSpec;
import io.regfleet.operator.api.v1alpha1.GarbageCollectionSpec;
import io.regfleet.operator.api.v1alpha1.ReadReplicaSpec;
import io.regfleet.operator.api.v1alpha1.Registry;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * spec.database.readReplicas and replicaMaxLag checked as the CRD's schema and CEL rules check them: the mock API
 * server (and an API server that predates CEL) does not, and a bad entry must end in a condition, never in a pod's
 * setting. The user's spec is read, never rewritten.
 */
public final class ReadReplicaSettings {
    private static final Pattern HOST = Pattern.compile(ReadReplicaSpec.HOST);
    private static final Pattern LAG = Pattern.compile("^" + GarbageCollectionSpec.DURATION + "$");
    private static final Pattern ZERO = Pattern.compile("^0+(ms|s|m|h|d)$");

    private ReadReplicaSettings() {
    }

    /** Why the read-replica settings cannot be applied, in a condition's words; empty when they can (or there are none). */
    public static Optional<String> refusal(Registry registry) {
        DatabaseSpec db = registry.getSpec().database;
        List<ReadReplicaSpec> replicas = db.readReplicasOrNone();
        if (replicas.isEmpty()) {
            return Optional.empty();
        }
        if (replicas.size() > DatabaseSpec.MAX_READ_REPLICAS) {
            return Optional.of("spec.database.readReplicas names more than " + DatabaseSpec.MAX_READ_REPLICAS + " replicas");
        }
        if (db.pooler != null) {
            return Optional.of("spec.database.readReplicas cannot be combined with spec.database.pooler yet");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < replicas.size(); i++) {
            ReadReplicaSpec r = replicas.get(i);
            String at = "spec.database.readReplicas[" + i + "]";
            if (r == null || r.host == null || !HOST.matcher(r.host).matches()) {
                return Optional.of(at + ".host must be a host name or an IPv4 address");
            }
            if (r.port != null && (r.port < 1 || r.port > 65535)) {
                return Optional.of(at + ".port must be between 1 and 65535");
            }
            if (!seen.add(r.host + ":" + (r.port == null ? "" : r.port))) {
                return Optional.of(at + " names " + r.host + (r.port == null ? "" : ":" + r.port) + " a second time");
            }
        }
        String lag = db.replicaMaxLag;
        if (lag != null && (lag.length() > 16 || !LAG.matcher(lag).matches() || ZERO.matcher(lag).matches())) {
            return Optional.of("spec.database.replicaMaxLag must be a number above 0 and one unit (ms, s, m, h, d), e.g. 2s");
        }
        return Optional.empty();
    }
}
