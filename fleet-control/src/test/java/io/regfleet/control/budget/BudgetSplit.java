package io.regfleet.control.budget;

/** The numbers of a budget a test checks, compared at once: what the fleet may hold and how it is split. */
public record BudgetSplit(int available, int maxReplicas, int maxSurge, int podsCounted, int perPodFloor,
                          int allocatedTotal, boolean capped) {
    public static BudgetSplit of(ConnectionBudget b) {
        return new BudgetSplit(b.available(), b.maxReplicas(), b.maxSurge(), b.podsCounted(), b.perPodFloor(),
                b.allocatedTotal(), b.capped());
    }
}
