package io.regfleet.registry.tools.importer;

import io.regfleet.registry.oci.RepositoryName;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * {@code regfleet import}: lists the source's repositories and tags, copies every tag (in parallel, within the
 * pod's budget), then proves the result against the source, repository by repository.
 */
public final class Importer {
    private static final Logger LOG = Logger.getLogger(Importer.class);
    private final SourceRegistry source;
    private final Target target;
    private final List<String> only;
    private final int parallelism;
    private final int reportDifferences;

    Importer(SourceRegistry source, Target target, List<String> only, int parallelism, int reportDifferences) {
        this.source = source;
        this.target = target;
        this.only = only;
        this.parallelism = parallelism;
        this.reportDifferences = reportDifferences;
    }

    public ImportReport run() {
        ImportTally tally = new ImportTally();
        List<RepositoryName> repositories = repositories(tally);
        Copier copier = new Copier(source, target, tally);
        long started = System.nanoTime();
        try (ExecutorService workers = Executors.newFixedThreadPool(parallelism,
                Thread.ofPlatform().name("import-worker-", 0).factory())) {
            Map<RepositoryName, List<String>> tags = new ConcurrentHashMap<>();
            each(workers, repositories, tally, repository -> tags.put(repository, source.tags(repository.value())));
            each(workers, tagged(tags), tally, t -> copier.copyTag(t.repository(), t.tag()));
            double copySeconds = seconds(started);
            LOG.infof("import: %d tags of %d repositories copied in %.1f s; proving", tally.tags.get(),
                    repositories.size(), copySeconds);

            long proofStarted = System.nanoTime();
            Prover prover = new Prover(source, target, tally, copier.referrersApi());
            Map<RepositoryName, List<String>> proven = new ConcurrentHashMap<>();
            each(workers, repositories, tally, repository -> proven.put(repository, prover.compareTags(repository)));
            each(workers, tagged(proven), tally, t -> prover.proveTag(t.repository(), t.tag()));
            List<Difference> differences = tally.differences();
            return new ImportReport(source.origin(), repositories.size(), new ImportReport.Copied(tally.tags.get(),
                    tally.manifestsCopied.get(), tally.manifestsPresent.get(), tally.referrers.get(),
                    tally.blobsCopied.get(), tally.blobsLinked.get(), tally.blobsPresent.get(), tally.bytesCopied.get()),
                    new ImportReport.Proven(tally.tagsProven.get(), tally.manifestsProven.get(), tally.blobsProven.get()),
                    differences.size(), differences.subList(0, Math.min(reportDifferences, differences.size())),
                    copySeconds, seconds(proofStarted));
        }
    }

    /** A tag of a repository: one task. */
    private record TagOf(RepositoryName repository, String tag) {
    }

    private static List<TagOf> tagged(Map<RepositoryName, List<String>> tags) {
        List<TagOf> all = new ArrayList<>();
        tags.forEach((repository, names) -> names.forEach(tag -> all.add(new TagOf(repository, tag))));
        return all;
    }

    /** The repositories to import: the configured ones, else the catalog's; an invalid name is a difference. */
    private List<RepositoryName> repositories(ImportTally tally) {
        List<RepositoryName> valid = new ArrayList<>();
        for (String name : only.isEmpty() ? source.repositories() : only) {
            if (RepositoryName.isValid(name)) {
                valid.add(new RepositoryName(name));
            } else {
                tally.differs(Difference.of(name, Difference.Kind.UNSUPPORTED, null, null, "invalid repository name"));
            }
        }
        return valid;
    }

    /**
     * Runs {@code work} on every item on the workers and waits for all; an item that fails is a difference, never the
     * end of the import.
     */
    private static <T> void each(ExecutorService workers, List<T> items, ImportTally tally, Consumer<T> work) {
        List<Future<?>> futures = new ArrayList<>();
        for (T item : items) {
            futures.add(workers.submit(() -> {
                try {
                    work.accept(item);
                } catch (RuntimeException e) {
                    String repository = switch (item) {
                        case RepositoryName r -> r.value();
                        case TagOf t -> t.repository().value();
                        default -> "";
                    };
                    String tag = item instanceof TagOf t ? t.tag() : null;
                    tally.differs(Difference.of(repository, e instanceof SourceException
                            ? Difference.Kind.SOURCE_UNREADABLE : Difference.Kind.NOT_IMPORTED, null, tag,
                            e.getMessage()));
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e6) / 1000.0;
    }
}
