package io.regfleet.e2e.k3s;

import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The k3s binary inside the cluster container (kubectl, ctr): fails loudly with its output on a non-zero exit. */
record Kubectl(K3sContainer k3s) {
    String kubectl(String... args) {
        return k3s("kubectl", args);
    }

    String ctr(String... args) {
        return k3s("ctr", args);
    }

    private String k3s(String tool, String... args) {
        List<String> command = new ArrayList<>(List.of("k3s", tool));
        command.addAll(List.of(args));
        try {
            ExecResult result = k3s.execInContainer(command.toArray(String[]::new));
            if (result.getExitCode() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + result.getExitCode()
                        + "\n" + result.getStdout() + result.getStderr());
            }
            return result.getStdout();
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
        }
    }
}
