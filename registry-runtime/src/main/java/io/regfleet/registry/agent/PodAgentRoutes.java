package io.regfleet.registry.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.ManagementInterface;
import io.regfleet.fleet.Allocation;
import io.regfleet.fleet.FleetApi;
import io.regfleet.registry.gc.GcMetrics;
import io.regfleet.registry.governance.AgentConfig;
import io.regfleet.registry.governance.AllocationGuard;
import io.regfleet.registry.governance.GovernedPool;
import io.regfleet.registry.governance.PodUsageReport;
import io.regfleet.registry.governance.PoolControl;
import io.regfleet.registry.metadata.postgres.replica.ReadReplica;
import io.regfleet.registry.metadata.postgres.replica.ReadReplicas;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The pod agent on the management port: {@code GET /fleet/usage} and {@code PUT /fleet/allocation}, for the
 * operator's rebalancers (the primary's pool, or with {@code ?replica=host:port} that read replica's pool),
 * {@code GET /fleet/collector} (the garbage collector's report) and {@code GET /fleet/replicas}
 * (each read replica as this pod sees it) for the Registry's status.
 * Bearer token from a file; with no token file configured the agent is not served at all.
 */
@ApplicationScoped
public class PodAgentRoutes {
    private static final Logger LOG = Logger.getLogger(PodAgentRoutes.class);
    private static final int MAX_BODY = 4096;
    private final ObjectMapper json;

    public PodAgentRoutes(ObjectMapper json) {
        this.json = json;
    }

    void register(@Observes ManagementInterface management, AgentConfig config, PodUsageReport usage, PoolControl pool,
                  GcMetrics collector, ReadReplicas replicas) {
        if (config.tokenFile().isEmpty()) {
            LOG.info("pod agent disabled: no regfleet.agent.token-file");
            return;
        }
        AgentToken token = new AgentToken(config.tokenFile().get());
        management.router().get(FleetApi.USAGE).handler(ctx -> authorized(ctx, token, () -> scoped(ctx, replicas,
                replica -> send(ctx, 200, replica == null ? usage.usage() : usage.usage(replica.figures())))));
        management.router().get(FleetApi.COLLECTOR)
                .handler(ctx -> authorized(ctx, token, () -> send(ctx, 200, collector.report())));
        management.router().get(FleetApi.REPLICAS)
                .handler(ctx -> authorized(ctx, token, () -> send(ctx, 200, replicas.reports())));
        management.router().put(FleetApi.ALLOCATION)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
                .handler(ctx -> authorized(ctx, token, () -> scoped(ctx, replicas,
                        replica -> allocate(ctx, replica == null ? pool.governed() : replica.pool()))));
        LOG.infof("pod agent serving %s, %s, %s and %s", FleetApi.USAGE, FleetApi.ALLOCATION, FleetApi.COLLECTOR,
                FleetApi.REPLICAS);
    }

    private void authorized(RoutingContext ctx, AgentToken token, Runnable action) {
        String authorization = ctx.request().getHeader("Authorization");
        ctx.vertx().executeBlocking(() -> token.accepts(authorization), false).onComplete(result -> {
            if (result.succeeded() && result.result()) {
                action.run();
            } else {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"regfleet-agent\"");
                error(ctx, 401, "a valid bearer token is required");
            }
        });
    }

    /**
     * Runs the action for the pool the request names: the primary's (null) without {@link FleetApi#REPLICA}, else
     * that replica's; a replica the pod does not have is 404, a value that is not one {@code host:port} 400.
     */
    private void scoped(RoutingContext ctx, ReadReplicas replicas, java.util.function.Consumer<ReadReplica> action) {
        String named = ctx.request().getParam(FleetApi.REPLICA);
        if (named == null) {
            action.accept(null);
            return;
        }
        java.util.Optional<ReadReplica> replica;
        try {
            replica = replicas.named(named);
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "the " + FleetApi.REPLICA + " parameter must be one host:port, as " + FleetApi.REPLICAS + " names it");
            return;
        }
        if (replica.isEmpty()) {
            error(ctx, 404, "this pod has no such read replica (" + FleetApi.REPLICAS + " lists those it has)");
            return;
        }
        action.accept(replica.get());
    }

    private void allocate(RoutingContext ctx, GovernedPool pool) {
        io.vertx.core.buffer.Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            error(ctx, 400, "an allocation body is required");
            return;
        }
        Allocation allocation;
        try {
            allocation = json.readValue(body.getBytes(), Allocation.class);
        } catch (Exception e) {
            // the record's own checks say what is wrong; the JSON parser's text stays here
            error(ctx, 400, rootCause(e) instanceof IllegalArgumentException invalid
                    ? "invalid allocation: " + invalid.getMessage() : "invalid allocation: not an allocation in JSON");
            return;
        }
        ctx.vertx().executeBlocking(() -> pool.apply(allocation), false).onComplete(applied -> {
            if (applied.succeeded()) {
                send(ctx, 200, applied.result());
            } else if (applied.cause() instanceof AllocationGuard.Refused refused) {
                error(ctx, 400, refused.getMessage());
            } else {
                LOG.error("allocation failed", applied.cause());
                error(ctx, 500, "allocation could not be applied");
            }
        });
    }

    private void send(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(io.vertx.core.buffer.Buffer.buffer(json.writeValueAsBytes(body)));
        } catch (Exception e) {
            ctx.fail(e);
        }
    }

    private void error(RoutingContext ctx, int status, String message) {
        send(ctx, status, java.util.Map.of("error", message));
    }

    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
