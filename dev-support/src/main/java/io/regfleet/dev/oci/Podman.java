package io.regfleet.dev.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * podman with storage of its own under a folder (vfs: no overlay mount, no daemon, no container is run) and its own
 * credentials file, so a test neither sees nor touches the machine's images and logins.
 */
public final class Podman {
    private final Path home;

    private Podman(Path home) {
        this.home = home;
    }

    /** A podman whose images, run state and logins live under {@code home}. */
    public static Podman in(Path home) {
        try {
            Files.createDirectories(home);
            return new Podman(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code podman ARGS} (login, push, pull: add {@code --authfile} with {@link #authFile()}) and returns its output. */
    public String run(String... args) {
        List<String> command = new ArrayList<>(List.of("podman", "--root", home.resolve("root").toString(),
                "--runroot", home.resolve("run").toString(), "--storage-driver", "vfs"));
        command.addAll(List.of(args));
        return ClientCommand.run(home, command, "apt-get install -y podman");
    }

    /** Where this podman keeps its logins. */
    public String authFile() {
        return home.resolve("auth.json").toString();
    }
}
