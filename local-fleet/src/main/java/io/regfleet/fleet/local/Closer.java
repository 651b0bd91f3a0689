package io.regfleet.fleet.local;

import java.util.ArrayList;
import java.util.List;

/** Closes parts in order, every one even when an earlier one fails; the first failure is rethrown, the others suppressed. */
final class Closer {
    private Closer() {
    }

    /** Runs {@code start}; when it fails, closes {@code started} (what it got to) and rethrows the failure. */
    static void startOrClose(Runnable start, AutoCloseable started) {
        try {
            start.run();
        } catch (RuntimeException e) {
            try {
                closeAll(started);
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    static void closeAll(AutoCloseable... parts) {
        List<RuntimeException> failures = new ArrayList<>();
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (RuntimeException e) {
                failures.add(e);
            } catch (Exception e) {
                failures.add(new IllegalStateException(e));
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }
}
