package io.regfleet.registry.governance;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.quarkus.runtime.StartupEvent;
import io.regfleet.fleet.Allocation;
import io.regfleet.fleet.AllocationStatus;
import io.regfleet.fleet.PodUsage;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way this pod gets a database connection, and the pod's share of the database made live:
 * a bulkhead bounds concurrent database work (shed past a short queue), a connection is borrowed for one unit of
 * work, the pool maximum and worker limit follow the operator's allocation, and idle connections are closed.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class ConnectionGovernance {
    private static final Logger LOG = Logger.getLogger(ConnectionGovernance.class);

    private final AgroalDataSource dataSource;
    private final PoolConfig pool;
    private final WorkerConfig workerConfig;
    private final AgentConfig agentConfig;
    private final MeterRegistry meters;

    private DatabaseBulkhead bulkhead;
    private SlidingWindow activeWindow;
    private SlidingWindow requestWindow;
    private CpuSampler cpu;
    private Timer acquireTimer;
    private Timer workTimer;
    private Counter acquireTimeouts;
    private final AtomicInteger active = new AtomicInteger();
    private volatile long lastReleaseNanos = System.nanoTime();
    private long generation;
    private int poolMax;

    public ConnectionGovernance(AgroalDataSource dataSource, PoolConfig pool, WorkerConfig workerConfig,
                                AgentConfig agentConfig, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.pool = pool;
        this.workerConfig = workerConfig;
        this.agentConfig = agentConfig;
        this.meters = meters;
    }

    @PostConstruct
    void init() {
        int workers = workerConfig.limit().orElseGet(CpuQuota::defaultWorkers);
        bulkhead = new DatabaseBulkhead(workers, workerConfig.queue(), workerConfig.queueTimeout().toNanos());
        int window = (int) Math.max(1, agentConfig.window().toSeconds());
        long now = System.nanoTime();
        activeWindow = new SlidingWindow(window, now);
        requestWindow = new SlidingWindow(window, now);
        cpu = new CpuSampler(window);
        poolMax = pool.maxSize();
        acquireTimer = Timer.builder("regfleet.db.acquire").description("Time to get a database connection")
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(agentConfig.window())
                .distributionStatisticBufferLength(2).register(meters);
        workTimer = Timer.builder("regfleet.db.work").description("How long database work held its connection")
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(agentConfig.window())
                .distributionStatisticBufferLength(2).register(meters);
        acquireTimeouts = Counter.builder("regfleet.db.acquire.timeouts")
                .description("Database work that could not get a connection in time").register(meters);
        Gauge.builder("regfleet.pool.max", this, g -> g.poolMax).register(meters);
        Gauge.builder("regfleet.pool.open", this, ConnectionGovernance::open).register(meters);
        Gauge.builder("regfleet.pool.active", active, AtomicInteger::get).register(meters);
        Gauge.builder("regfleet.workers.limit", bulkhead, DatabaseBulkhead::limit).register(meters);
        Gauge.builder("regfleet.workers.in.flight", bulkhead, DatabaseBulkhead::inFlight).register(meters);
        Gauge.builder("regfleet.workers.shed", bulkhead, DatabaseBulkhead::shedTotal).register(meters);
        Gauge.builder("regfleet.allocation.generation", this, g -> g.generation).register(meters);
        Gauge.builder("regfleet.db.connections.opened", ConnectionThrottle.instance(), ConnectionThrottle::openedTotal).register(meters);
        Gauge.builder("regfleet.db.connections.failed", ConnectionThrottle.instance(), ConnectionThrottle::failedTotal).register(meters);
        Gauge.builder("regfleet.db.connections.refused", ConnectionThrottle.instance(), ConnectionThrottle::refusedTotal)
                .description("Connection attempts refused by the rate limit or the backoff").register(meters);
        LOG.infof("connection governance: pool max %d, workers %d, connect rate %.1f/s", poolMax, workers, pool.connectRate());
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(1000, id -> tick());
    }

    /** A borrowed connection; closing it returns the connection and frees the worker slot. */
    public final class Lease implements AutoCloseable {
        private final Connection connection;
        private final long leasedNanos;

        private Lease(Connection connection, long leasedNanos) {
            this.connection = connection;
            this.leasedNanos = leasedNanos;
        }

        public Connection connection() {
            return connection;
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("closing a pooled connection failed: %s", e.getMessage());
            } finally {
                long now = System.nanoTime();
                workTimer.record(now - leasedNanos, TimeUnit.NANOSECONDS);
                activeWindow.level(active.decrementAndGet(), now);
                lastReleaseNanos = now;
                bulkhead.release();
            }
        }
    }

    /** Thrown when the work must not run now: shed by the bulkhead, or no connection within the acquisition timeout. */
    public static final class Refused extends Exception {
        private final boolean shed;

        Refused(String message, boolean shed, Throwable cause) {
            super(message, cause, false, false);
            this.shed = shed;
        }

        public boolean shed() {
            return shed;
        }
    }

    public Lease lease() throws Refused {
        if (!bulkhead.tryAcquire()) {
            throw new Refused("too much database work in flight (limit " + bulkhead.limit() + "); retry shortly", true, null);
        }
        long started = System.nanoTime();
        try {
            Connection connection = dataSource.getConnection();
            long now = System.nanoTime();
            acquireTimer.record(now - started, TimeUnit.NANOSECONDS);
            activeWindow.level(active.incrementAndGet(), now);
            return new Lease(connection, now);
        } catch (SQLException | RuntimeException e) {
            acquireTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            acquireTimeouts.increment();
            bulkhead.release();
            throw new Refused("no database connection: " + e.getMessage(), false, e);
        }
    }

    /** Counts an API request for the usage report's rate. */
    public void requestStarted() {
        requestWindow.event(System.nanoTime());
    }

    /** Applies a newer allocation live; an older generation is ignored and answered with what is applied. */
    public synchronized AllocationStatus apply(Allocation allocation) {
        if (allocation.generation() < generation) {
            return status(true);
        }
        if (allocation.generation() > generation || allocation.poolMax() != poolMax || allocation.workers() != bulkhead.limit()) {
            resizePool(allocation.poolMax());
            bulkhead.setLimit(allocation.workers());
            generation = allocation.generation();
            LOG.infof("allocation %d applied: pool max %d, workers %d", generation, poolMax, allocation.workers());
        }
        return status(false);
    }

    public synchronized AllocationStatus status(boolean stale) {
        return new AllocationStatus(generation, poolMax, bulkhead.limit(), open(), stale);
    }

    /**
     * Agroal retires busy connections over the maximum when they are returned, but leaves idle ones open: a shrink
     * also closes the idle connections (the pool reopens what it needs, paced by the throttle).
     */
    private void resizePool(int newMax) {
        int previous = poolMax;
        dataSource.getConfiguration().connectionPoolConfiguration().setMaxSize(newMax);
        poolMax = newMax;
        if (newMax < previous) {
            dataSource.flush(AgroalDataSource.FlushMode.IDLE);
        }
    }

    /** Once a second: close every idle connection once the pod has done no database work for the idle timeout. */
    private void tick() {
        cpu.sample();
        if (active.get() == 0 && System.nanoTime() - lastReleaseNanos >= pool.idleTimeout().toNanos() && open() > 0) {
            dataSource.flush(AgroalDataSource.FlushMode.IDLE);
        }
    }

    /**
     * Connections held, those being opened included: one opening while the maximum is lowered lands over it, so a
     * shrink is not reported done while it is in flight.
     */
    public int open() {
        var metrics = dataSource.getMetrics();
        return (int) (metrics.activeCount() + metrics.availableCount()) + ConnectionThrottle.instance().connecting();
    }

    public PodUsage usage() {
        long now = System.nanoTime();
        var metrics = dataSource.getMetrics();
        int activeNow = (int) metrics.activeCount();
        int openNow = (int) (metrics.activeCount() + metrics.availableCount()) + ConnectionThrottle.instance().connecting();
        SlidingWindow.Snapshot activeStats = activeWindow.snapshot(now);
        SlidingWindow.Snapshot requests = requestWindow.snapshot(now);
        var acquire = acquireTimer.takeSnapshot();
        double p50 = percentileMs(acquire, 0.5);
        double p99 = percentileMs(acquire, 0.99);
        double workP99 = percentileMs(workTimer.takeSnapshot(), 0.99);
        synchronized (this) {
            return new PodUsage(generation, poolMax, openNow, activeNow, (int) metrics.availableCount(), (int) metrics.awaitingCount(),
                    activeStats.peak(), activeStats.mean(), activeStats.seconds(), p50, p99,
                    (long) acquireTimeouts.count(), bulkhead.shedTotal(), bulkhead.limit(), bulkhead.inFlight(),
                    requests.eventsPerSecond(), cpu.coresUsed(), CpuQuota.cpus(), bulkhead.waiting(), workP99);
        }
    }

    private static double percentileMs(io.micrometer.core.instrument.distribution.HistogramSnapshot snapshot, double percentile) {
        for (ValueAtPercentile p : snapshot.percentileValues()) {
            if (p.percentile() == percentile) {
                return p.value(TimeUnit.MILLISECONDS);
            }
        }
        return 0;
    }

    /** Process CPU time sampled each second, for CPU use over the window. */
    static final class CpuSampler {
        private final long[] cpuNanos;
        private final long[] wallNanos;
        private int next;
        private int filled;

        CpuSampler(int window) {
            cpuNanos = new long[window + 1];
            wallNanos = new long[window + 1];
            sample();
        }

        synchronized void sample() {
            cpuNanos[next] = processCpuNanos();
            wallNanos[next] = System.nanoTime();
            next = (next + 1) % cpuNanos.length;
            filled = Math.min(filled + 1, cpuNanos.length);
        }

        synchronized double coresUsed() {
            int newest = Math.floorMod(next - 1, cpuNanos.length);
            int oldest = filled < cpuNanos.length ? 0 : next;
            long wall = wallNanos[newest] - wallNanos[oldest];
            return wall <= 0 ? 0 : (double) (cpuNanos[newest] - cpuNanos[oldest]) / wall;
        }

        private static long processCpuNanos() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getProcessCpuTime();
            }
            return 0;
        }
    }
}
