package io.regfleet.registry.metadata;

import java.util.Collection;

/**
 * Hears what committed writes changed ({@link MetadataChange}). A store tells its listeners of this process's own
 * writes once each has committed, in the writing thread; a store shared by several processes also relays the
 * changes the others commit, as they are heard, and says when it may miss some (its feed from the others is down).
 */
public interface MetadataChangeListener {

    /** Committed writes changed these. Called outside any unit of work: it may read the store. */
    void changed(Collection<MetadataChange> changes);

    /** From now on, writes other processes commit may go unheard, until {@link #othersHeard()}. */
    default void othersUnheard() {
    }

    /** Every write other processes commit from now on is heard (after {@link #othersUnheard()}, or at the start). */
    default void othersHeard() {
    }
}
