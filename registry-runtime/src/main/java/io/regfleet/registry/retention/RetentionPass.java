package io.regfleet.registry.retention;

import io.regfleet.registry.metadata.GarbageCollection;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.Page;
import io.regfleet.registry.metadata.TagRecord;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Applies the retention rules, a page of repositories at a time (the collector's loop yields between pages). A tag is
 * deleted only if it was not pushed again since it was listed; its manifest is queued for review like any untagged
 * one, so what it held is collected by the review queues, never here.
 */
@ApplicationScoped
public class RetentionPass {
    private static final Logger LOG = Logger.getLogger(RetentionPass.class);
    private final Clock clock = Clock.systemUTC();
    private final MetadataStore metadata;
    private final GarbageCollection gc;
    private final RetentionRules rules;
    /** Where the current pass stands: the last repository done (null: at the start). */
    private String cursor;

    public RetentionPass(MetadataStore metadata, GarbageCollection gc, RetentionRules rules) {
        this.metadata = metadata;
        this.gc = gc;
        this.rules = rules;
    }

    private static final int REPOSITORIES_PER_STEP = 100;

    /** A page of what remains of the current pass: how many tags it deleted, and whether the pass is over. */
    public record Step(int deleted, boolean done) {
    }

    public synchronized Step step() {
        if (!rules.hasRetention()) {
            return new Step(0, true);
        }
        Page page = metadata.catalog(cursor, REPOSITORIES_PER_STEP);
        Instant now = clock.instant();
        int deleted = 0;
        for (String name : page.entries()) {
            deleted += apply(new RepositoryName(name), now);
        }
        cursor = page.more() ? page.lastEntry() : null;
        return new Step(deleted, cursor == null);
    }

    /** A whole pass from the first repository; returns how many tags it deleted. */
    public synchronized int applyOnce() {
        cursor = null;
        int deleted = 0;
        Step step;
        do {
            step = step();
            deleted += step.deleted();
        } while (!step.done());
        return deleted;
    }

    private int apply(RepositoryName repository, Instant now) {
        Optional<RetentionRule> rule = rules.ruleFor(repository);
        if (rule.isEmpty()) {
            return 0;
        }
        List<TagRecord> expired = rule.get().expired(gc.tagRecords(repository), now, tag -> rules.test(repository, tag));
        int deleted = 0;
        for (TagRecord tag : expired) {
            if (gc.deleteTagIfUnchanged(repository, tag)) {
                deleted++;
            }
        }
        if (deleted > 0) {
            LOG.infof("retention deleted %d tags of %s (rule for '%s')", deleted, repository.value(),
                    rule.get().repositories());
        }
        return deleted;
    }
}
