package io.regfleet.registry.http;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.regfleet.registry.tls.ServerTls;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
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
 * the OCI error body. With a certificate ({@link ServerTls}) it speaks HTTPS, HTTP/2 to clients that offer it (ALPN),
 * and serves a rotated certificate to new connections without a restart.
 */
@ApplicationScoped
public class ApiServer {
    private static final Logger LOG = Logger.getLogger(ApiServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final HttpConfig config;
    private final RegistryRouter router;
    private final InvalidRequests invalid;
    private final ServerTls tls;
    private volatile HttpServer server;
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
                .setPort(config.port())
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
        server = vertx.createHttpServer(options)
                .requestHandler(router::handle)
                .invalidRequestHandler(invalid::reply)
                .listen()
                .toCompletionStage().toCompletableFuture()
                .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (tls.enabled()) {
            reloadTimer = tls.reloadOnChange(vertx);
        }
        LOG.infof("registry API listening on %s://%s:%d", tls.enabled() ? "https" : "http", config.host(), server.actualPort());
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (reloadTimer >= 0) {
            vertx.cancelTimer(reloadTimer);
        }
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
