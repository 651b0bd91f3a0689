package io.regfleet.operator.replica;

import io.regfleet.control.budget.ReplicaBudget;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One read replica as this reconciliation planned it.
 *
 * @param replica its {@code host:port} (the port the spec names, else the primary's): what the pods are given
 * @param host    its host as the spec names it, for messages
 * @param state   what its probe found
 * @param budget  its budget; from the last recorded one while the probe cannot reach it; null when never known
 * @param message why it is not served, in a condition's words (host only); empty when it fits
 * @param share   its part of the replica beside the other Registries naming it; null when not probed this time
 */
public record ReplicaOutcome(String replica, String host, State state, ReplicaBudget budget, String message,
                             Shared share) {
    /**
     * This Registry's part of the replica.
     *
     * @param identity the replica's identity ({@code <system_identifier>@<host>:<port>})
     * @param counted  what this Registry is counted at there
     * @param others   the other Registries there, as {@code namespace/name count}, comma-separated; empty when alone
     */
    public record Shared(String identity, int counted, String others) {
    }

    public ReplicaOutcome(String replica, String host, State state, ReplicaBudget budget, String message) {
        this(replica, host, state, budget, message, null);
    }

    public enum State {
        /** Every pod that can exist gets a pool within its budget. */
        FITS,
        /** Less than one connection per pod that can exist: the pods do not use it. */
        NO_ROOM,
        /** The operator's probe failed: the last recorded budget stands (none: not served). */
        UNREACHABLE,
        /** The primary itself under another name (same system, not in recovery): its pools would be outside every budget. */
        NOT_A_REPLICA;

        /** As status.readReplicas[].budgetState says it: NO_ROOM is NoRoom. */
        public String label() {
            return Arrays.stream(name().split("_")).map(w -> w.charAt(0) + w.substring(1).toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining());
        }
    }

    /** Whether the pods get a pool on it: a budget of at least one connection per pod, and it is a replica. */
    public boolean served() {
        return budget != null && budget.perPodPool() >= 1 && (state == State.FITS || state == State.UNREACHABLE);
    }
}
