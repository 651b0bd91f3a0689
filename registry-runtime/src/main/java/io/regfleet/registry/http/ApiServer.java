package io.regfleet.registry.http;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.annotation.Priority;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The registry API's HTTP server. Every request, valid or not, is answered by this project's code: requests go to
 * the {@link RegistryRouter}, and those the HTTP parser refuses to {@link InvalidRequests}, so a client always gets
 * the OCI error body.
 */
@ApplicationScoped
public class ApiServer {
    private static final Logger LOG = Logger.getLogger(ApiServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final HttpConfig config;
    private final RegistryRouter router;
    private final InvalidRequests invalid;
    private volatile HttpServer server;

    ApiServer(Vertx vertx, HttpConfig config, RegistryRouter router, InvalidRequests invalid) {
        this.vertx = vertx;
        this.config = config;
        this.router = router;
        this.invalid = invalid;
    }

    /** Last in start-up order: the server takes requests once everything it calls is ready. */
    void start(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) throws Exception {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setIdleTimeout((int) config.idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(config.maxRequestLine())
                .setMaxHeaderSize(config.maxHeaderSize())
                .setHandle100ContinueAutomatically(true)
                .setCompressionSupported(false);
        server = vertx.createHttpServer(options)
                .requestHandler(router::handle)
                .invalidRequestHandler(invalid::reply)
                .listen()
                .toCompletionStage().toCompletableFuture()
                .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        LOG.infof("registry API listening on http://%s:%d", config.host(), server.actualPort());
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        HttpServer s = server;
        if (s != null) {
            s.close().toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The port the API listens on (the configured one, or the one chosen for port 0). */
    public int port() {
        HttpServer s = server;
        if (s == null) {
            throw new IllegalStateException("the registry API is not listening yet");
        }
        return s.actualPort();
    }
}
