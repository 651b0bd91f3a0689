package io.regfleet.registry.telemetry;

import io.regfleet.registry.Await;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.jboss.logmanager.handlers.DelayedHandler;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Handler;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The console's lines are held until a flush, written by the flusher, and all written at shutdown. */
class ConsoleFlushingTest {
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final ConsoleHandler console = new ConsoleHandler();

    ConsoleFlushingTest() {
        console.setOutputStream(sink);
        console.setFormatter(new PatternFormatter("%s%n"));
    }

    @Test
    void linesWaitForTheFlushAndShutdownWritesThemAll() {
        ConsoleFlushing flushing = new ConsoleFlushing(Duration.ofHours(1));
        flushing.start(nested(console));
        log("GET /v2/ 200");
        log("GET /v2/ 401");
        assertEquals("", written(), "nothing written before a flush");

        flushing.stop();
        assertEquals("GET /v2/ 200\nGET /v2/ 401\n", written(), "shutdown writes what was held");
        log("stopped");
        assertEquals("GET /v2/ 200\nGET /v2/ 401\nstopped\n", written(), "after shutdown, a line goes out at once");
    }

    @Test
    void theFlusherWritesHeldLinesWithoutAnotherLine() {
        ConsoleFlushing flushing = new ConsoleFlushing(Duration.ofMillis(20));
        flushing.start(nested(console));
        try {
            log("PUT /v2/a/manifests/v1 201");
            Await.until(() -> written().equals("PUT /v2/a/manifests/v1 201\n"), "the flusher wrote the held line");
        } finally {
            flushing.stop();
        }
    }

    @Test
    void aZeroIntervalLeavesEveryLineWrittenAtOnce() {
        ConsoleFlushing flushing = new ConsoleFlushing(Duration.ZERO);
        flushing.start(nested(console));
        log("GET /v2/ 200");
        assertEquals("GET /v2/ 200\n", written());
        flushing.stop();
    }

    /** The console inside another handler, as Quarkus nests it. */
    private static Handler[] nested(ConsoleHandler console) {
        ExtHandler outer = new DelayedHandler();
        outer.addHandler(console);
        return new Handler[]{outer};
    }

    private void log(String line) {
        console.publish(new ExtLogRecord(Level.INFO, line, ConsoleFlushingTest.class.getName()));
    }

    private String written() {
        return sink.toString(StandardCharsets.UTF_8);
    }
}
