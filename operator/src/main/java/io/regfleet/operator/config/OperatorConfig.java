package io.regfleet.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** Operator settings (application.properties or env, prefix regfleet.operator). */
@ConfigMapping(prefix = "regfleet.operator")
public interface OperatorConfig {
    /** Rollout surge set on every registry Deployment and counted in the budget. */
    @WithDefault("1")
    int maxSurge();

    /** Starting worker limit per pool connection, clamped to spec.workers. */
    @WithDefault("4")
    int workersPerConnection();

    /** How often the budget is recomputed without any event (foreign connections change silently). */
    @WithDefault("60s")
    Duration budgetRecheckInterval();

    /** Connect timeout of the operator's budget probe. */
    @WithDefault("5s")
    Duration databaseProbeTimeout();

    /** The schema migration Jobs. */
    Migration migration();

    /**
     * The namespace the operator's pods run in, admitted to the registry pods' management port by their NetworkPolicy.
     * Unset: the Kubernetes client's namespace (in a pod, its own).
     */
    Optional<String> namespace();

    /** A replica that loses its Lease exits, so Kubernetes restarts it as a follower (never two leaders). */
    @WithDefault("true")
    boolean exitOnLostLeadership();

    interface Migration {
        /** Pod retries within one Job before the Job counts as failed. */
        @WithName("backoff-limit")
        @WithDefault("2")
        int backoffLimit();

        /** A Job running longer than this fails (DeadlineExceeded): a pod whose image cannot be pulled waits no longer. */
        @WithDefault("20m")
        Duration deadline();

        /** After a failed Job, the next attempt waits this long, doubled per failed attempt up to retry-max. */
        @WithName("retry-initial")
        @WithDefault("30s")
        Duration retryInitial();

        @WithName("retry-max")
        @WithDefault("10m")
        Duration retryMax();
    }

    /** The verify Jobs (REGFLEET_MODE=verify): after every schema migration, and on the regfleet.io/verify annotation. */
    Verify verify();

    interface Verify {
        /**
         * The pool of a verify Job, reserved in every Registry's budget beside the migration Job's connection (the
         * verify runs workers on all but one of them). 0: no verify Jobs, and nothing reserved.
         */
        @WithDefault("2")
        int connections();

        /** A verify Job running longer than this is stopped (DeadlineExceeded); the next verify continues its run. */
        @WithDefault("12h")
        Duration deadline();
    }

    /**
     * How often the pods' garbage-collector reports are read into status.garbageCollection (at most; a reconciliation
     * between two reads leaves the field as it is).
     */
    @WithName("collector-status-interval")
    @WithDefault("60s")
    Duration collectorStatusInterval();

    /**
     * How often the pods' read-replica reports are read into status.readReplicas (at most); a Registry with read
     * replicas is reconciled at least this often, so a quarantined replica shows without any Kubernetes event.
     */
    @WithName("replica-status-interval")
    @WithDefault("30s")
    Duration replicaStatusInterval();

    /** The rebalancer of every Registry with spec.rebalancing.enabled. */
    Rebalance rebalance();

    interface Rebalance {
        /** Time between two rounds. */
        @WithDefault("10s")
        Duration interval();

        /** How long a round waits for shrinks to be confirmed before it raises what still fits. */
        @WithName("shrink-timeout")
        @WithDefault("5s")
        Duration shrinkTimeout();

        /** Timeout of one call to a pod agent. */
        @WithName("agent-timeout")
        @WithDefault("2s")
        Duration agentTimeout();

        /**
         * How long a pod no longer listed stays counted. Unset: the registry pods' terminationGracePeriodSeconds
         * plus 15s (45s), so a pod killed at the end of its grace period is never uncounted while it may hold
         * connections.
         */
        @WithName("gone-grace")
        Optional<Duration> goneGrace();
    }
}
