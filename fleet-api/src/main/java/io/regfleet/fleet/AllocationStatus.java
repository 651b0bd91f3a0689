package io.regfleet.fleet;

/**
 * A pod's answer to an allocation: what it now applies and how many connections it holds open, so the caller can
 * see a shrink complete ({@code open <= poolMax}).
 *
 * @param stale true when the request's generation was older than the applied one and was ignored
 */
public record AllocationStatus(long generation, int poolMax, int workers, int open, boolean stale) {
    public boolean shrinkComplete() {
        return open <= poolMax;
    }
}
