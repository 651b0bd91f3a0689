package io.regfleet.operator.rebalance;

import io.regfleet.control.rebalance.PodState;
import io.regfleet.operator.naming.FleetNames;

/** Pod states as status and events spell them (CamelCase, like condition reasons). */
final class PodStates {
    private PodStates() {
    }

    static String camelCase(PodState state) {
        return FleetNames.camelCase(state);
    }
}
