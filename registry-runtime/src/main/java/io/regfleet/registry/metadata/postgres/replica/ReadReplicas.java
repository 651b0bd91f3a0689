package io.regfleet.registry.metadata.postgres.replica;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.regfleet.fleet.ReplicaReport;
import io.regfleet.registry.oci.RepositoryName;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pod's read replicas: each one's pool and health, the writes this pod knows of ({@link WriteLsns}), the
 * monitor that samples them, and the router that picks one for a lag-tolerant read. With none configured
 * ({@link #NONE}) nothing here does any work: every read goes to the primary, as without this class.
 */
public final class ReadReplicas {
    /** No replica: every read on the primary. */
    public static final ReadReplicas NONE = new ReadReplicas(List.of(), Duration.ofSeconds(2));
    /**
     * No replica, and yet every write noticed with its WAL position: a Job (verify, import) is not told of the pods'
     * replicas, and the pods that read them must hear where its writes (a blob quarantined, an image imported) end.
     */
    public static final ReadReplicas NOTICES_ONLY = new ReadReplicas(List.of(), Duration.ofSeconds(2), true);
    private static final Logger LOG = Logger.getLogger(ReadReplicas.class);

    private final List<ReadReplica> replicas;
    private final boolean noticesWithout;
    private final WriteLsns writes;
    private final ReplicaMonitor monitor;
    private final ReadRouter router = new ReadRouter();
    private final LongAdder primaryReads = new LongAdder();

    /** @param maxLag beyond it a replica is quarantined; writes are remembered at most twice as long (at least 1 s more) */
    public ReadReplicas(List<ReadReplica> replicas, Duration maxLag) {
        this(replicas, maxLag, false);
    }

    private ReadReplicas(List<ReadReplica> replicas, Duration maxLag, boolean noticesWithout) {
        this.noticesWithout = noticesWithout;
        this.replicas = List.copyOf(replicas);
        long maxLagNanos = maxLag.toNanos();
        this.writes = replicas.isEmpty() ? null
                : new WriteLsns(Math.max(2 * maxLagNanos, maxLagNanos + Duration.ofSeconds(1).toNanos()));
        this.monitor = replicas.isEmpty() ? null : new ReplicaMonitor(this.replicas, writes, maxLagNanos);
    }

    /** Whether any replica is configured: then writes learn their WAL position and reads may go elsewhere. */
    public boolean active() {
        return writes != null;
    }

    /** Whether this process's writes are noticed with their WAL position ({@code regfleet_wal}). */
    public boolean noticesWrites() {
        return active() || noticesWithout;
    }

    /** The writes this pod knows of; only when {@link #active()}. */
    public WriteLsns writes() {
        if (writes == null) {
            throw new IllegalStateException("no read replica configured");
        }
        return writes;
    }

    /** The replica that answers this read, or empty: the primary. */
    public Optional<ReadReplica> route(ReadKind kind, RepositoryName repository) {
        if (writes == null) {
            return Optional.empty();
        }
        Optional<Lsn> required = kind == ReadKind.CATALOG ? writes.requiredEverywhere() : writes.required(repository);
        OptionalInt chosen = router.choose(replicas.stream()
                .map(r -> new ReadRouter.Candidate(r.health().serving(), r.health().replayed())).toList(), required);
        return chosen.isPresent() ? Optional.of(replicas.get(chosen.getAsInt())) : Optional.empty();
    }

    /** A lag-tolerant read the primary answered (none was routed elsewhere, or it was asked again). */
    public void primaryAnswered() {
        primaryReads.increment();
    }

    /**
     * The replica this pod reads from at {@code address} ({@code host:port}, as {@link #reports()} names it); empty
     * when it has none there.
     *
     * @throws IllegalArgumentException when {@code address} is not one {@code host:port}
     */
    public Optional<ReadReplica> named(String address) {
        List<ReplicaAddress> parsed = ReplicaAddress.parseList(address, 0);
        if (parsed.size() != 1) {
            throw new IllegalArgumentException("not one host:port: " + address);
        }
        String name = parsed.getFirst().toString();
        return replicas.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public List<ReplicaReport> reports() {
        return replicas.stream().map(ReadReplica::report).toList();
    }

    /** Per replica: serving, lag, connections, reads; and the reads the primary answered, so the split shows. */
    public void register(MeterRegistry meters) {
        if (writes == null) {
            return;
        }
        String reads = "Lag-tolerant reads, by the server that answered them";
        FunctionCounter.builder("regfleet.db.reads", primaryReads, LongAdder::sum).tag("server", "primary")
                .description(reads).register(meters);
        for (ReadReplica replica : replicas) {
            String name = replica.name();
            FunctionCounter.builder("regfleet.db.reads", replica, ReadReplica::reads).tag("server", name)
                    .description(reads).register(meters);
            Gauge.builder("regfleet.replica.serving", replica, r -> r.health().serving() ? 1 : 0).tag("replica", name)
                    .description("1 while lag-tolerant reads go to the replica, 0 while it is quarantined").register(meters);
            Gauge.builder("regfleet.replica.lag.seconds", replica, r -> r.health().lagNanos() / 1e9).tag("replica", name)
                    .description("How long the oldest write the replica has not replayed has waited").register(meters);
            Gauge.builder("regfleet.replica.pool.max", replica, r -> r.pool().poolMax()).tag("replica", name)
                    .description("The maximum of the replica's pool in this pod, as its allocation sets it").register(meters);
            Gauge.builder("regfleet.replica.connections.open", replica, ReadReplica::open).tag("replica", name).register(meters);
            Gauge.builder("regfleet.replica.connections.active", replica, ReadReplica::active).tag("replica", name).register(meters);
        }
    }

    public void start() {
        if (monitor != null) {
            monitor.start();
            LOG.infof("read replicas: %s", replicas.stream().map(ReadReplica::name).toList());
        }
    }

    public void stop() {
        if (monitor != null) {
            monitor.stop();
            replicas.forEach(ReadReplica::close);
        }
    }
}
