package io.regfleet.fleet.local;

import io.regfleet.control.rebalance.FleetPod;
import io.regfleet.dev.RegistryProcess;

import java.net.InetSocketAddress;
import java.net.URI;

/** One replica of a local fleet: its name ({@code replica-n}, also its pod name) and its JVM. */
public record Replica(String name, RegistryProcess process) {
    /** The registry API, e.g. {@code http://127.0.0.1:41234}. */
    public URI api() {
        return URI.create(process.url());
    }

    /** Health, metrics and the pod agent. */
    public URI management() {
        return URI.create(process.managementUrl());
    }

    InetSocketAddress apiAddress() {
        return new InetSocketAddress("127.0.0.1", process.port());
    }

    FleetPod pod() {
        return new FleetPod(name, management(), false);
    }
}
