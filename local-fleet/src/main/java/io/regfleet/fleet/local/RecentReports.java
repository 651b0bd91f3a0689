package io.regfleet.fleet.local;

import io.regfleet.control.rebalance.RebalanceListener;
import io.regfleet.control.rebalance.RebalanceReport;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last rounds' reports, oldest first, for tests and tools that look back at what the rebalancer did. */
final class RecentReports implements RebalanceListener {
    static final int KEPT = 100;

    private final Deque<RebalanceReport> reports = new ArrayDeque<>();

    @Override
    public synchronized void rebalanced(RebalanceReport report) {
        if (reports.size() == KEPT) {
            reports.removeFirst();
        }
        reports.addLast(report);
    }

    synchronized List<RebalanceReport> list() {
        return List.copyOf(reports);
    }
}
