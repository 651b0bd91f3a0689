package io.regfleet.e2e.k3s;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.util.List;
import java.util.function.Supplier;

/** On a failure, prints what a human would look at first: pods, the Registry's status, events, operator logs. */
final class ClusterDiagnostics implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    private final Supplier<Kubectl> cluster;

    ClusterDiagnostics(Supplier<Kubectl> cluster) {
        this.cluster = cluster;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        dump();
        throw failure;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        dump();
        throw failure;
    }

    private void dump() {
        Kubectl kubectl = cluster.get();
        if (kubectl == null || !kubectl.k3s().isRunning()) {
            return;
        }
        for (List<String> args : List.of(
                List.of("get", "pods,deployments,jobs,pvc", "-A", "-o", "wide"),
                List.of("get", "registries", "-A", "-o", "yaml"),
                List.of("get", "events", "-A", "--sort-by=.lastTimestamp"),
                List.of("logs", "-n", OperatorInstall.NAMESPACE, "deployment/" + OperatorInstall.DEPLOYMENT, "--tail=200"))) {
            try {
                System.out.println("--- kubectl " + String.join(" ", args) + "\n" + kubectl.kubectl(args.toArray(String[]::new)));
            } catch (RuntimeException e) {
                System.out.println("--- kubectl " + String.join(" ", args) + " failed: " + e.getMessage());
            }
        }
    }
}
