package io.regfleet.control.rebalance;

/** Told about every round (status writer, events, metrics, a console table). Must not block for long. */
@FunctionalInterface
public interface RebalanceListener {
    void rebalanced(RebalanceReport report);
}
