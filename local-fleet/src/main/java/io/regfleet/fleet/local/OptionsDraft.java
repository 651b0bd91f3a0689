package io.regfleet.fleet.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The fields of a {@link FleetOptions} being edited: mutable until {@link #build()} validates a new one. */
final class OptionsDraft {
    int replicas;
    int maxReplicas;
    int maxConnections;
    Path home;
    boolean rebalance;
    int floorPercent;
    Duration interval;
    Duration agentWindow;
    int poolMaximum;
    int workersMinimum;
    int workersMaximum;
    Duration databaseLatency;
    boolean s3;
    int frontPort;
    int postgresPort;
    Map<String, String> extraProperties;
    int readReplicas;

    OptionsDraft(FleetOptions o) {
        replicas = o.replicas();
        maxReplicas = o.maxReplicas();
        maxConnections = o.maxConnections();
        home = o.home();
        rebalance = o.rebalance();
        floorPercent = o.floorPercent();
        interval = o.interval();
        agentWindow = o.agentWindow();
        poolMaximum = o.poolMaximum();
        workersMinimum = o.workersMinimum();
        workersMaximum = o.workersMaximum();
        databaseLatency = o.databaseLatency();
        s3 = o.s3();
        frontPort = o.frontPort();
        postgresPort = o.postgresPort();
        extraProperties = o.extraProperties();
        readReplicas = o.readReplicas();
    }

    /** The one place that lists every field in order, for every wither of the options. */
    FleetOptions build() {
        return new FleetOptions(replicas, maxReplicas, maxConnections, home, rebalance, floorPercent, interval,
                agentWindow, poolMaximum, workersMinimum, workersMaximum, databaseLatency, s3, frontPort, postgresPort,
                extraProperties, readReplicas);
    }
}
