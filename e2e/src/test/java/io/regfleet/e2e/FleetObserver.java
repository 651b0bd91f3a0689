package io.regfleet.e2e;

import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.PodState;
import io.regfleet.control.rebalance.RebalanceReport;
import io.regfleet.fleet.local.LocalFleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/** Every rebalance round of a local fleet, kept in order, with waits on what the rounds show. */
final class FleetObserver {
    record Round(long nanos, RebalanceReport report) {
    }

    private final List<Round> rounds = new ArrayList<>();

    FleetObserver(LocalFleet fleet) {
        fleet.addListener(report -> {
            synchronized (rounds) {
                rounds.add(new Round(System.nanoTime(), report));
                rounds.notifyAll();
            }
        });
    }

    int size() {
        synchronized (rounds) {
            return rounds.size();
        }
    }

    List<Round> since(int index) {
        synchronized (rounds) {
            return List.copyOf(rounds.subList(Math.min(index, rounds.size()), rounds.size()));
        }
    }

    RebalanceReport latest() {
        synchronized (rounds) {
            return rounds.isEmpty() ? null : rounds.getLast().report();
        }
    }

    /** Waits for a round (after {@code from}) that satisfies the condition; returns its index. */
    int await(int from, Predicate<RebalanceReport> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (rounds) {
            while (true) {
                for (int i = from; i < rounds.size(); i++) {
                    if (condition.test(rounds.get(i).report())) {
                        return i;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("no round showed " + what + " within " + timeout + "; last: " + describe(latest()));
                }
                try {
                    rounds.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
        }
    }

    Round round(int index) {
        synchronized (rounds) {
            return rounds.get(index);
        }
    }

    /** Allocation changes per minute over the rounds since {@code from}. */
    double changesPerMinute(int from) {
        List<Round> window = since(from);
        if (window.size() < 2) {
            return 0;
        }
        int changes = window.stream().skip(1).mapToInt(r -> r.report().changes()).sum();
        double minutes = (window.getLast().nanos() - window.getFirst().nanos()) / 60e9;
        return changes / minutes;
    }

    /** Pool maximum changes per minute over the rounds since {@code from} (worker-limit changes left out). */
    double poolChangesPerMinute(int from) {
        List<Round> window = since(from);
        if (window.size() < 2) {
            return 0;
        }
        int changes = 0;
        for (int i = 1; i < window.size(); i++) {
            RebalanceReport before = window.get(i - 1).report();
            for (PodReport p : window.get(i).report().pods()) {
                boolean known = before.pods().stream().anyMatch(b -> b.name().equals(p.name()));
                if (known && pod(before, p.name()).poolMax() != p.poolMax()) {
                    changes++;
                }
            }
        }
        double minutes = (window.getLast().nanos() - window.getFirst().nanos()) / 60e9;
        return changes / minutes;
    }

    long maxCommitted(int from) {
        return since(from).stream().mapToLong(r -> r.report().committed()).max().orElse(0);
    }

    static PodReport pod(RebalanceReport report, String name) {
        return report.pods().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not in " + describe(report)));
    }

    static boolean has(RebalanceReport report, String name, PodState state) {
        return report.pods().stream().anyMatch(p -> p.name().equals(name) && p.state() == state);
    }

    static String describe(RebalanceReport report) {
        if (report == null) {
            return "no round yet";
        }
        StringBuilder s = new StringBuilder("committed " + report.committed() + "/" + report.limits().available() + ":");
        for (PodReport p : report.pods()) {
            s.append(' ').append(p.name()).append('=').append(p.state()).append('/').append(p.poolMax())
                    .append("(c").append(p.counted()).append(",w").append(p.workers()).append(",open ").append(p.open())
                    .append(",d").append(String.format("%.1f", p.demand())).append(')');
        }
        return s.toString();
    }

    /** A figure for the closing note: printed and appended to target/rebalance-figures.txt. */
    static void figure(String scenario, String line) {
        String text = "FIGURE " + scenario + ": " + line;
        System.out.println(text);
        try {
            Files.writeString(Path.of("target", "rebalance-figures.txt"), text + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("(cannot write the figures file: " + e.getMessage() + ")");
        }
    }
}
