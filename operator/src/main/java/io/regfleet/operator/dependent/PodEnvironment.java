package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.regfleet.fleet.PodSetting;
import io.regfleet.operator.api.v1alpha1.Registry;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The user's extra env (spec.pod.env) against the pod contract. A name the operator sets itself is refused rather than
 * given a precedence: in env the later entry silently wins, and a server-side apply of a list with one name twice
 * fails, so either way the pod would not be what the spec says.
 */
public final class PodEnvironment {
    private static final Set<String> CONTRACT = Arrays.stream(PodSetting.values()).map(PodSetting::env)
            .collect(Collectors.toUnmodifiableSet());

    private PodEnvironment() {
    }

    static List<EnvVar> userEnv(Registry registry) {
        var pod = registry.getSpec().pod;
        return pod == null || pod.env == null ? List.of() : pod.env;
    }

    /** Why spec.pod.env cannot be applied, in a condition's words; empty when it can. */
    public static Optional<String> refusal(Registry registry) {
        List<String> names = userEnv(registry).stream().map(EnvVar::getName).toList();
        Set<String> reserved = names.stream().filter(CONTRACT::contains).collect(Collectors.toCollection(TreeSet::new));
        if (!reserved.isEmpty()) {
            return Optional.of("spec.pod.env sets " + String.join(", ", reserved)
                    + ", which the operator sets itself (the pod contract); remove " + (reserved.size() == 1 ? "it" : "them"));
        }
        Set<String> twice = names.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1).map(java.util.Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!twice.isEmpty()) {
            return Optional.of("spec.pod.env names " + String.join(", ", twice) + " more than once");
        }
        return Optional.empty();
    }
}
