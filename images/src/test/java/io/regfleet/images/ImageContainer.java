package io.regfleet.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * An image run as a cluster runs it, by a real OCI runtime: umoci unpacks the image (its layers in order, whiteouts
 * applied) into a bundle whose process is the image's own entrypoint, user, working directory and environment; runc
 * runs it with a read-only root filesystem and an empty /tmp, like a pod with readOnlyRootFilesystem and an emptyDir.
 * It shares the host's network, so it reaches servers on 127.0.0.1 and is reached there.
 */
final class ImageContainer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path runcState;
    private final String id = "regfleet-" + UUID.randomUUID().toString().substring(0, 8);
    private final Path log;
    private final Process process;

    private ImageContainer(Path runcState, Path bundle, Path log) throws IOException {
        this.runcState = runcState;
        this.log = log;
        this.process = new ProcessBuilder("runc", "--root", runcState.toString(), "run", "--bundle", bundle.toString(), id)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Copies {@code image} out of the registry, unpacks it in {@code work} and starts its entrypoint with extra
     * environment; {@code writable}: folders mounted as empty, writable volumes (as the pod's emptyDir or claim).
     */
    static ImageContainer start(String image, Path work, Map<String, String> environment, List<String> writable) throws IOException {
        Path layout = work.resolve("layout");
        Command.output(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + image, "oci:" + layout + ":run"));
        Path bundle = work.resolve("bundle");
        Command.output(List.of("umoci", "unpack", "--image", layout + ":run", bundle.toString()));
        Path spec = bundle.resolve("config.json");
        ObjectNode config = (ObjectNode) JSON.readTree(spec.toFile());
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", false);
        environment.forEach((k, v) -> ((ArrayNode) process.get("env")).add(k + "=" + v));
        ((ObjectNode) config.get("root")).put("readonly", true);
        ArrayNode namespaces = (ArrayNode) config.at("/linux/namespaces");
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            if (namespaces.get(i).get("type").asText().equals("network")) {
                namespaces.remove(i);
            }
        }
        ArrayNode mounts = (ArrayNode) config.get("mounts");
        for (String folder : writable) {
            mounts.addObject().put("destination", folder).put("type", "tmpfs").put("source", "tmpfs")
                    .putArray("options").add("nosuid").add("nodev").add("mode=1777");
        }
        JSON.writeValue(spec.toFile(), config);
        return new ImageContainer(Files.createDirectories(work.resolve("runc")), bundle, work.resolve("container.log"));
    }

    /** The numeric user the entrypoint runs as, read from the kernel (/proc of the container's first process). */
    int uid() throws IOException {
        String state = Command.output(List.of("runc", "--root", runcState.toString(), "state", id));
        int pid = JSON.readTree(state).get("pid").asInt();
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(l -> l.startsWith("Uid:")).map(l -> Integer.parseInt(l.split("\\s+")[1])).findFirst().orElseThrow();
    }

    /** Runs another program in the running container (its filesystem, user and environment). */
    String exec(String... command) {
        List<String> full = new java.util.ArrayList<>(List.of("runc", "--root", runcState.toString(), "exec", id));
        full.addAll(List.of(command));
        return Command.output(full);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM (what the kubelet sends), then the container is removed whatever state it is in. */
    @Override
    public void close() throws IOException {
        try {
            new ProcessBuilder("runc", "--root", runcState.toString(), "kill", id, "TERM").start().waitFor(10, TimeUnit.SECONDS);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            new ProcessBuilder("runc", "--root", runcState.toString(), "delete", "--force", id).start().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
