package io.regfleet.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

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

    /** Retries of a failed schema migration Job before it counts as failed. */
    @WithDefault("2")
    int migrationBackoffLimit();

    /** A replica that loses its Lease exits, so Kubernetes restarts it as a follower (never two leaders). */
    @WithDefault("true")
    boolean exitOnLostLeadership();
}
