package io.regfleet.control.rebalance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** One call per pod to its agent, all at once on virtual threads: a slow pod delays nobody else's answer. */
final class AgentCalls {
    /** A call to one pod's agent. */
    @FunctionalInterface
    interface Call<T> {
        T to(PodRecord pod) throws IOException;
    }

    /** A pod's answer, or why there was none. */
    record Answer<T>(PodRecord pod, T value, Exception failure) {
        boolean answered() {
            return failure == null;
        }
    }

    private AgentCalls() {
    }

    /** Every pod's answer, in the order of {@code pods}. */
    static <T> List<Answer<T>> inParallel(List<PodRecord> pods, Call<T> call) {
        List<Answer<T>> answers = new ArrayList<>();
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> pending = pods.stream().map(pod -> calls.submit(() -> call.to(pod))).toList();
            for (int i = 0; i < pods.size(); i++) {
                answers.add(answer(pods.get(i), pending.get(i)));
            }
        }
        return answers;
    }

    private static <T> Answer<T> answer(PodRecord pod, Future<T> pending) {
        try {
            return new Answer<>(pod, pending.get(), null);
        } catch (ExecutionException e) {
            return new Answer<>(pod, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer<>(pod, null, e);
        }
    }

    /** The innermost cause, as a log line says it. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
