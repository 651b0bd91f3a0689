package io.regfleet.registry.governance;

import java.sql.SQLException;

/**
 * The one connection a pod holds outside its pool: the metadata cache's notice listener. It is counted inside the
 * pod's allocation, so the operator's budget and rebalancer, which count a pod at its allocated pool maximum (or its
 * open connections, when more), cover it as they are: the pool runs with the allocation less this connection. An
 * allocation of one connection leaves no room for it: the pool keeps that one and the listener steps down (the cache
 * then lives on its stale bound until the allocation grows again).
 */
public final class ListenerConnection implements GovernedPool.Reserve {
    /** Connections the listener holds. */
    public static final int CONNECTIONS = 1;
    private static final ThreadLocal<Boolean> OPENING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final boolean wanted;
    private int allocated;
    private boolean held;
    private Runnable stepDown = () -> {
    };

    /**
     * @param wanted    whether this pod runs a listener at all (its cache is on and it serves)
     * @param allocated the pod's allocated connections at start
     */
    public ListenerConnection(boolean wanted, int allocated) {
        this.wanted = wanted;
        this.allocated = allocated;
    }

    /** The pool's maximum under an allocation of {@code connections}: what the listener leaves of it. */
    @Override
    public synchronized int poolMax(int connections) {
        return reserves(connections) ? connections - CONNECTIONS : connections;
    }

    /** The allocation changed; a listener that no longer fits is told to step down before this returns. */
    @Override
    public synchronized void allocated(int connections) {
        allocated = connections;
        if (held && !reserves(connections)) {
            stepDown.run();
        }
    }

    /** Takes the reserved connection for the listener when the allocation leaves room for it; false: wait. */
    public synchronized boolean tryHold(Runnable onStepDown) {
        if (!reserves(allocated)) {
            return false;
        }
        held = true;
        stepDown = onStepDown;
        return true;
    }

    /** Opens the listener's connection through {@code connect}, on this thread. */
    public <T> T connect(Connect<T> connect) throws SQLException {
        OPENING.set(Boolean.TRUE);
        try {
            return connect.open();
        } finally {
            OPENING.remove();
        }
    }

    /**
     * Whether this thread is opening the listener's connection: it is counted as held from its reservation on, so
     * the throttle, which rates it like any other, must not count the attempt a second time (a pod starting up would
     * report one connection over its allocation).
     */
    static boolean opening() {
        return OPENING.get();
    }

    /** Opens a connection. */
    public interface Connect<T> {
        T open() throws SQLException;
    }

    /** The listener's connection is closed. */
    public synchronized void released() {
        held = false;
    }

    /** Connections open outside the pool now. */
    @Override
    public synchronized int open() {
        return held ? CONNECTIONS : 0;
    }

    private boolean reserves(int connections) {
        return wanted && connections > CONNECTIONS;
    }
}
