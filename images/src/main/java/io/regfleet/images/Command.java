package io.regfleet.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs the programs the images are made with (mmdebstrap, skopeo, git); a failure names the command and its output. */
public final class Command {
    private Command() {
    }

    /** Runs the command and returns what it printed (stdout and stderr); fails on a non-zero exit. */
    public static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            check(command, p.waitFor(), out);
            return out.trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command.get(0), e);
        }
    }

    /** Runs the command with extra environment; its output goes to {@code log} (appended), or to this terminal if null. */
    public static void run(List<String> command, Map<String, String> environment, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        if (log == null) {
            builder.inheritIO();
        } else {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        try {
            check(command, builder.start().waitFor(), log == null ? "(output above)" : tail(log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command.get(0), e);
        }
    }

    private static void check(List<String> command, int exit, String output) {
        if (exit != 0) {
            throw new IllegalStateException("failed (exit " + exit + "): " + String.join(" ", command) + "\n" + output);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
