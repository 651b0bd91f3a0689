package io.regfleet.control.share;

/**
 * Whether a Registry fits its server, in a condition's terms: the operator puts it in {@code ConnectionBudgetReady}
 * (False unless it fits), the local fleet refuses to start a fleet that has no room.
 *
 * @param message the numbers, naming the other Registries on the server and their shares
 */
public record ShareVerdict(ShareState state, String message) {
    public boolean fits() {
        return state == ShareState.FITS;
    }
}
