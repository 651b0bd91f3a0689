package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.fleet.PodContract;
import io.regfleet.fleet.PodSetting;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A verify of the whole store: the runtime in {@code REGFLEET_MODE=verify} as a Job, with the serving pods' database,
 * storage and CA, and a pool of the connections the plan reserves for it. Its pod runs once (restart policy Never,
 * backoff limit 0): a verify that stops is continued by the next one, from the progress it recorded.
 */
public final class VerifyJob {
    public static final String COMPONENT = "verify";
    /** On a verify Job: what asked for it ({@link Trigger#text()}). */
    public static final String TRIGGER_ANNOTATION = "regfleet.io/verify-trigger";
    /** On a verify Job: when the operator made it, to the millisecond (creationTimestamp has seconds: two Jobs may share one). */
    public static final String CREATED_ANNOTATION = "regfleet.io/created";

    /** What asks for a verify: a schema migration that succeeded (its Job's name), or the annotation's value. */
    public record Trigger(Kind kind, String value) {
        public enum Kind { MIGRATION, REQUEST }

        public String text() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + value;
        }

        static Optional<Trigger> parse(String text) {
            int colon = text == null ? -1 : text.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            for (Kind kind : Kind.values()) {
                if (kind.name().equalsIgnoreCase(text.substring(0, colon))) {
                    return Optional.of(new Trigger(kind, text.substring(colon + 1)));
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return kind == Kind.MIGRATION ? "after the schema migration " + value : "asked for by " + FleetNames.VERIFY_ANNOTATION
                    + "=" + value;
        }
    }

    /** How a verify runs: its image, whether it re-hashes every blob, its pool, its deadline. */
    public record Settings(String image, boolean deep, int connections, Duration deadline) {
    }

    private VerifyJob() {
    }

    public static Job job(Registry registry, Trigger trigger, Settings settings, Instant now) {
        List<EnvVar> env = new ArrayList<>();
        env.add(RegistryPods.env(PodSetting.MODE, PodContract.MODE_VERIFY));
        env.add(RegistryPods.env(PodSetting.POOL_MAX_SIZE, Integer.toString(settings.connections())));
        env.add(RegistryPods.env(PodSetting.VERIFY_DEEP, Boolean.toString(settings.deep())));
        env.addAll(RegistryPods.storageCredentialsEnv(registry));
        return new JobBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.verifyJob(registry, trigger.text()), COMPONENT))
                .editMetadata()
                .addToAnnotations(FleetNames.IMAGE_ANNOTATION, settings.image())
                .addToAnnotations(TRIGGER_ANNOTATION, trigger.text())
                .addToAnnotations(CREATED_ANNOTATION, now.toString())
                .addToAnnotations(FleetNames.VERIFY_DEEP_ANNOTATION, Boolean.toString(settings.deep()))
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withActiveDeadlineSeconds(settings.deadline().toSeconds())
                .withNewTemplate()
                .withNewMetadata().withLabels(FleetNames.jobPodLabels(registry, COMPONENT)).endMetadata()
                .withSpec(RegistryPods.basePodSpec(registry)
                        .withRestartPolicy("Never")
                        .addAllToVolumes(RegistryPods.blobsVolume(registry))
                        .addToContainers(RegistryPods.toolContainer(registry, COMPONENT, settings.image(), env)
                                .addAllToVolumeMounts(RegistryPods.blobsMount(registry))
                                .withResources(registry.getSpec().resources)
                                .build())
                        .build())
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The Registry's verify Jobs among its secondary resources. */
    public static Stream<Job> jobs(Context<Registry> context) {
        return SchemaMigration.jobs(context, COMPONENT);
    }

    /** What asked for this verify Job, from its annotation. */
    public static Optional<Trigger> triggerOf(Job job) {
        var annotations = job.getMetadata().getAnnotations();
        return annotations == null ? Optional.empty() : Trigger.parse(annotations.get(TRIGGER_ANNOTATION));
    }

    /** When the operator made the Job: its annotation, else its creationTimestamp (the epoch when it has neither). */
    public static Instant createdAt(Job job) {
        var annotations = job.getMetadata().getAnnotations();
        String created = annotations == null ? null : annotations.get(CREATED_ANNOTATION);
        if (created == null) {
            created = job.getMetadata().getCreationTimestamp();
        }
        try {
            return created == null ? Instant.EPOCH : Instant.parse(created);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    public static boolean deep(Job job) {
        var annotations = job.getMetadata().getAnnotations();
        return annotations != null && "true".equals(annotations.get(FleetNames.VERIFY_DEEP_ANNOTATION));
    }
}
