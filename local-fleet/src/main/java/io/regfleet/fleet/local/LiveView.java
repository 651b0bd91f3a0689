package io.regfleet.fleet.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The local fleets at a glance, without Grafana: a page on 127.0.0.1 ({@code /}) that draws each fleet's allocation
 * table and a plot of every replica's pool maximum and open connections over the rounds, from {@code /fleet.json},
 * which it polls. The page is one file with its script inline: it loads nothing from elsewhere.
 */
public final class LiveView implements AutoCloseable {
    static final String DATA_PATH = "/fleet.json";
    private static final String HOST = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final byte[] page;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "live-view");
        t.setDaemon(true);
        return t;
    });

    private LiveView(HttpServer server, byte[] page) {
        this.server = server;
        this.page = page;
    }

    /** Serves the fleets on {@code port} of 127.0.0.1, or on a free port when that one is taken (0: a free port). */
    public static LiveView start(int port, Supplier<List<LocalFleet>> fleets) {
        HttpServer server = bind(port);
        LiveView view = new LiveView(server, page());
        server.createContext("/", exchange -> {
            try (exchange) {
                switch (exchange.getRequestURI().getPath()) {
                    case "/" -> view.reply(exchange, "text/html; charset=utf-8", view.page);
                    case DATA_PATH -> view.reply(exchange, "application/json",
                            JSON.writeValueAsBytes(Map.of("fleets", fleets.get().stream().map(FleetSnapshot::of).toList())));
                    default -> exchange.sendResponseHeaders(404, -1);
                }
            }
        });
        server.setExecutor(view.executor);
        server.start();
        return view;
    }

    private static HttpServer bind(int port) {
        try {
            try {
                return HttpServer.create(new InetSocketAddress(HOST, port), 0);
            } catch (BindException taken) {
                return HttpServer.create(new InetSocketAddress(HOST, 0), 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the live view", e);
        }
    }

    private static byte[] page() {
        try (InputStream in = LiveView.class.getResourceAsStream("live-view.html")) {
            if (in == null) {
                throw new IllegalStateException("live-view.html is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void reply(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    /** The page's address. */
    public URI url() {
        return URI.create("http://" + HOST + ":" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
