package io.regfleet.registry.http;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.regfleet.registry.tls.ServerTls;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The registry API's HTTP server. Every request, valid or not, is answered by this project's code: requests go to
 * the {@link RegistryRouter}, and those the HTTP parser refuses to {@link InvalidRequests}, so a client always gets
 * the OCI error body. With a certificate ({@link ServerTls}) it speaks HTTPS, HTTP/2 to clients that offer it (ALPN),
 * and serves a rotated certificate to new connections without a restart.
 */
@Singleton
public class ApiServer {
    private static final Logger LOG = Logger.getLogger(ApiServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final HttpConfig config;
    private final RegistryRouter router;
    private final InvalidRequests invalid;
    private final ServerTls tls;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private volatile String deployment;
    private long reloadTimer = -1;

    ApiServer(Vertx vertx, HttpConfig config, RegistryRouter router, InvalidRequests invalid, ServerTls tls) {
        this.vertx = vertx;
        this.config = config;
        this.router = router;
        this.invalid = invalid;
        this.tls = tls;
    }

    /** Last in start-up order: the server takes requests once everything it calls is ready. */
    void start(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) throws Exception {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                // port 0 asks for any free port; -1 asks for one that the servers of this deployment share
                .setPort(config.port() == 0 ? -1 : config.port())
                .setIdleTimeout((int) config.idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(config.maxRequestLine())
                .setMaxHeaderSize(config.maxHeaderSize())
                .setHandle100ContinueAutomatically(true)
                .setCompressionSupported(false);
        if (tls.enabled()) {
            options.setSsl(true).setUseAlpn(true).setKeyCertOptions(tls.keyCertOptions())
                    .setInitialSettings(new Http2Settings().setMaxHeaderListSize(config.maxHeaderSize()));
        }
        int instances = Runtime.getRuntime().availableProcessors();
        deployment = vertx.deployVerticle(() -> new ServerVerticle(options), new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture()
                .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (tls.enabled()) {
            reloadTimer = tls.reloadOnChange(vertx);
        }
        LOG.infof("registry API listening on %s://%s:%d (%d event loops)", tls.enabled() ? "https" : "http",
                config.host(), port(), instances);
    }

    /** One server on the verticle's event loop. */
    private final class ServerVerticle extends AbstractVerticle {
        private final HttpServerOptions options;

        ServerVerticle(HttpServerOptions options) {
            this.options = options;
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer(options)
                    .requestHandler(router::handle)
                    .invalidRequestHandler(invalid::reply)
                    .listen()
                    .onSuccess(server -> {
                        servers.add(server);
                        started.complete();
                    })
                    .onFailure(started::fail);
        }
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (reloadTimer >= 0) {
            vertx.cancelTimer(reloadTimer);
        }
        String id = deployment;
        if (id != null) { // undeploying closes the servers
            deployment = null;
            vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        servers.clear(); // port() no longer names a closed server's port
    }

    /** The port the API listens on (the configured one, or the one chosen for port 0). */
    public int port() {
        if (servers.isEmpty()) {
            throw new IllegalStateException("the registry API is not listening yet");
        }
        return servers.getFirst().actualPort();
    }
}
