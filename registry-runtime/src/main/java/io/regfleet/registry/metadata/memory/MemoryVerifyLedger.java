package io.regfleet.registry.metadata.memory;

import io.regfleet.registry.metadata.DigestRange;
import io.regfleet.registry.metadata.VerifyLedger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** {@link VerifyLedger} over {@link MemoryMetadata}; leases are timed by its clock. */
record MemoryVerifyLedger(MemoryMetadata metadata) implements VerifyLedger {

    /** Every run, by id. */
    static final class Runs {
        final TreeMap<Long, RunState> byId = new TreeMap<>();
    }

    static final class RunState {
        final Run run;
        final List<RangeState> ranges = new ArrayList<>();
        final Map<String, Failure> failures = new LinkedHashMap<>();
        boolean finished;

        RunState(Run run) {
            this.run = run;
            for (int i = 0; i < DigestRange.COUNT; i++) {
                for (Kind kind : Kind.values()) {
                    ranges.add(new RangeState(kind, i));
                }
            }
        }

        RangeState range(Kind kind, int index) {
            return ranges.stream().filter(r -> r.kind == kind && r.index == index).findFirst().orElseThrow();
        }
    }

    static final class RangeState {
        final Kind kind;
        final int index;
        String cursor;
        boolean done;
        long checked;
        long bytes;
        String leaseOwner;
        Instant leaseUntil;

        RangeState(Kind kind, int index) {
            this.kind = kind;
            this.index = index;
        }
    }

    @Override
    public Run begin(boolean deep, boolean fresh) {
        return metadata.unit(m -> {
            Runs runs = m.verifyRuns();
            Optional<RunState> open = runs.byId.descendingMap().values().stream()
                    .filter(r -> !r.finished && r.run.deep() == deep).findFirst();
            if (open.isPresent() && !fresh) {
                Run run = open.get().run;
                return new Run(run.id(), deep, true, run.startedAt());
            }
            long id = runs.byId.isEmpty() ? 1 : runs.byId.lastKey() + 1;
            Run run = new Run(id, deep, false, m.now());
            runs.byId.put(id, new RunState(run));
            return run;
        });
    }

    @Override
    public Optional<Claim> claim(long run, String owner, Duration lease) {
        return metadata.unit(m -> {
            Instant now = m.now();
            return state(m, run).ranges.stream()
                    .filter(r -> !r.done && (r.leaseUntil == null || r.leaseUntil.isBefore(now)))
                    .min(Comparator.comparingInt((RangeState r) -> r.index).thenComparing(r -> r.kind.label()))
                    .map(r -> {
                        r.leaseOwner = owner;
                        r.leaseUntil = now.plus(lease);
                        return new Claim(run, r.kind, r.index, r.cursor, owner);
                    });
        });
    }

    @Override
    public boolean record(Claim claim, Progress progress, Duration lease) {
        return metadata.unit(m -> {
            RunState state = state(m, claim.run());
            RangeState range = state.range(claim.kind(), claim.range());
            if (!claim.owner().equals(range.leaseOwner)) {
                return false;
            }
            range.cursor = progress.cursor();
            range.done = progress.done();
            range.checked += progress.checked();
            range.bytes += progress.bytes();
            range.leaseOwner = progress.done() ? null : range.leaseOwner;
            range.leaseUntil = progress.done() ? null : m.now().plus(lease);
            progress.failures().forEach(f -> state.failures.putIfAbsent(
                    f.kind() + " " + f.digest() + " " + f.repository(), f));
            return true;
        });
    }

    @Override
    public boolean renew(Claim claim, Duration lease) {
        return metadata.unit(m -> {
            RangeState range = state(m, claim.run()).range(claim.kind(), claim.range());
            if (!claim.owner().equals(range.leaseOwner)) {
                return false;
            }
            range.leaseUntil = m.now().plus(lease);
            return true;
        });
    }

    @Override
    public void release(long run, String owner) {
        metadata.unit(m -> {
            state(m, run).ranges.stream().filter(r -> owner.equals(r.leaseOwner)).forEach(r -> {
                r.leaseOwner = null;
                r.leaseUntil = null;
            });
            return null;
        });
    }

    @Override
    public Status status(long run, int failureLimit) {
        return metadata.unit(m -> {
            RunState state = state(m, run);
            Map<Kind, Totals> totals = new EnumMap<>(Kind.class);
            for (RangeState r : state.ranges) {
                totals.merge(r.kind, new Totals(r.checked, r.bytes),
                        (a, b) -> new Totals(a.checked() + b.checked(), a.bytes() + b.bytes()));
            }
            List<Failure> failures = state.failures.values().stream()
                    .sorted(Comparator.comparing(Failure::kind).thenComparing(Failure::digest)
                            .thenComparing(Failure::repository))
                    .limit(failureLimit).toList();
            Map<String, Long> byKind = state.failures.values().stream()
                    .collect(Collectors.groupingBy(Failure::kind, Collectors.counting()));
            int done = (int) state.ranges.stream().filter(r -> r.done).count();
            return new Status(run, state.run.deep(), state.finished, totals, done, state.ranges.size(), byKind, failures);
        });
    }

    @Override
    public boolean finish(long run) {
        return metadata.unit(m -> {
            RunState state = state(m, run);
            if (state.ranges.stream().allMatch(r -> r.done)) {
                state.finished = true;
            }
            return state.finished;
        });
    }

    private static RunState state(MemoryMetadata m, long run) {
        RunState state = m.verifyRuns().byId.get(run);
        if (state == null) {
            throw new IllegalArgumentException("no verify run " + run);
        }
        return state;
    }
}
