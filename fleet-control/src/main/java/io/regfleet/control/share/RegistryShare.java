package io.regfleet.control.share;

/**
 * One Registry's part of a server, as its listeners and verdicts show it.
 *
 * @param guaranteed its granted guaranteed share (its pods' floors come out of it)
 * @param share      what its rebalancer may commit now
 * @param counted    what the server counts for its pods (the larger of its share and what they may hold)
 * @param reserve    what the server keeps for it besides (its probe, migration Job and spec reserve)
 * @param demand     what its pods want in all, NaN before its first report
 */
public record RegistryShare(String registry, int weight, ShareState state, int guaranteed, int share, long counted,
                            int reserve, double demand) {
    /** {@code team-a/reg weight 1: guaranteed 14, share 30}: how verdicts name a Registry. */
    public String describe() {
        return "%s weight %d: guaranteed %d, share %d%s".formatted(registry, weight, guaranteed, share,
                counted > share ? " (still holding " + counted + ")" : "");
    }
}
