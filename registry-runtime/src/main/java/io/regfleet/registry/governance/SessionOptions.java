package io.regfleet.registry.governance;

import java.time.Duration;

/**
 * The PostgreSQL settings every session of the pool gets, in milliseconds (0: not set). None while migrating: a
 * migration may run long and hold its session idle between steps.
 *
 * @param transactionPooled the sessions are a transaction pooler's, not the pod's: nothing session-scoped is sent
 */
record SessionOptions(long statementMillis, long idleInTransactionMillis, long idleSessionMillis, boolean transactionPooled) {

    /**
     * @throws IllegalArgumentException when the server would end idle sessions before the pool does: a healthy pod
     *                                  would then borrow connections the server has already closed
     */
    static SessionOptions of(PoolConfig pool, boolean migrating, boolean transactionPooled) {
        if (migrating) {
            return new SessionOptions(0, 0, 0, false);
        }
        Duration idleSession = pool.idleSessionTimeout();
        Duration reapedBy = pool.idleTimeout().multipliedBy(2);
        if (!idleSession.isZero() && idleSession.compareTo(reapedBy) <= 0) {
            throw new IllegalArgumentException("regfleet.pool.idle-session-timeout (" + idleSession + ") must be longer than"
                    + " twice regfleet.pool.idle-timeout (" + pool.idleTimeout() + "), or 0 to turn it off: the pool must"
                    + " close its idle connections before the server ends them");
        }
        return new SessionOptions(pool.statementTimeout().toMillis(), pool.idleInTransactionTimeout().toMillis(),
                idleSession.toMillis(), transactionPooled);
    }

    /** The startup {@code options} of a session; idle_session_timeout only where the server is known to have it. */
    String startup(boolean serverReaps) {
        StringBuilder options = new StringBuilder();
        append(options, "statement_timeout", statementMillis);
        append(options, "idle_in_transaction_session_timeout", idleInTransactionMillis);
        if (serverReaps) {
            append(options, "idle_session_timeout", idleSessionMillis);
        }
        return options.toString();
    }

    private static void append(StringBuilder options, String setting, long millis) {
        if (millis > 0) {
            options.append(options.isEmpty() ? "" : " ").append("-c ").append(setting).append('=').append(millis);
        }
    }
}
