package io.regfleet.registry.telemetry;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.regfleet.registry.config.RegistryConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;

/**
 * Writes the console log in blocks: each console handler buffers its lines, and a thread of this class flushes them
 * every {@code regfleet.log.flush-interval} (and at shutdown). Flushing every line cost one write to stdout per
 * request, under the handler's lock, from both event loops: a fifth of the CPU of a cached manifest GET
 * (bench/results/log-flush-20261130-113205.txt). The console is found among the root logger's handlers, wherever
 * Quarkus nested it.
 */
@Singleton
class ConsoleFlushing {
    private final Duration interval;
    private final List<ConsoleHandler> consoles = new ArrayList<>();
    private ScheduledExecutorService flusher;

    @Inject
    ConsoleFlushing(RegistryConfig config) {
        this(config.log().flushInterval());
    }

    ConsoleFlushing(Duration interval) {
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        start(LogContext.getLogContext().getLogger("").getHandlers());
    }

    void stop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Buffers the console handlers among these handlers and those they nest, and starts flushing them. */
    void start(Handler[] roots) {
        if (!interval.isPositive()) {
            return;
        }
        collect(roots);
        if (consoles.isEmpty()) {
            return;
        }
        flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "console-flush");
            thread.setDaemon(true);
            return thread;
        });
        consoles.forEach(console -> console.setAutoFlush(false));
        long millis = Math.max(1, interval.toMillis());
        flusher.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Back to a write per line, with what is buffered written first: the shutdown's own lines are not held back. */
    void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
            consoles.forEach(console -> console.setAutoFlush(true));
            flush();
        }
    }

    private void flush() {
        consoles.forEach(ConsoleHandler::flush);
    }

    private void collect(Handler[] handlers) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler console) {
                consoles.add(console);
            }
            if (handler instanceof ExtHandler nesting) {
                collect(nesting.getHandlers());
            }
        }
    }
}
