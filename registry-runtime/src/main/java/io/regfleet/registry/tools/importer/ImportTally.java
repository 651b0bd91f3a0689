package io.regfleet.registry.tools.importer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** What an import did and found, counted by its workers as they go. */
final class ImportTally {
    final AtomicLong tags = new AtomicLong();
    final AtomicLong manifestsCopied = new AtomicLong();
    final AtomicLong manifestsPresent = new AtomicLong();
    final AtomicLong referrers = new AtomicLong();
    final AtomicLong blobsCopied = new AtomicLong();
    final AtomicLong blobsLinked = new AtomicLong();
    final AtomicLong blobsPresent = new AtomicLong();
    final AtomicLong bytesCopied = new AtomicLong();
    final AtomicLong tagsProven = new AtomicLong();
    final AtomicLong manifestsProven = new AtomicLong();
    final AtomicLong blobsProven = new AtomicLong();
    private final Queue<Difference> differences = new ConcurrentLinkedQueue<>();

    void differs(Difference difference) {
        differences.add(difference);
    }

    List<Difference> differences() {
        List<Difference> sorted = new ArrayList<>(differences);
        sorted.sort(Comparator.comparing(Difference::repository).thenComparing(Difference::kind)
                .thenComparing(Difference::digest).thenComparing(Difference::tag));
        return sorted;
    }
}
