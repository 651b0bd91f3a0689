package io.regfleet.operator.rebalance;

import io.regfleet.control.rebalance.PodState;

/** Pod states as status and events spell them (CamelCase, like condition reasons). */
final class PodStates {
    private PodStates() {
    }

    static String camelCase(PodState state) {
        String lower = state.name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
