package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.VerificationStatus;
import io.regfleet.operator.config.OperatorConfig;
import io.regfleet.operator.dependent.SchemaMigration;
import io.regfleet.operator.dependent.VerifyJob;
import io.regfleet.operator.dependent.VerifyJob.Trigger;
import io.regfleet.operator.naming.FleetNames;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * A Registry's verify Jobs, decided from the cluster alone (their names and annotations) as the migration's are. A
 * verify is wanted after the current image's schema migration succeeded (once per migration Job) and for every new
 * value of the regfleet.io/verify annotation; one runs at a time (its connections are reserved once), migration first,
 * and only on a migrated schema. Of the finished Jobs the newest of each kind stays (for kubectl logs, and as the
 * record that its trigger was handled); older ones go. The newest Job's summary line is read from its pod's log once,
 * into status.
 */
final class VerifyRuns {
    private static final Logger LOG = Logger.getLogger(VerifyRuns.class);
    private static final int LOG_TAIL_LINES = 200;
    private static final Comparator<Job> OLDEST_FIRST = Comparator.comparing(VerifyJob::createdAt)
            .thenComparing(job -> job.getMetadata().getName());

    private VerifyRuns() {
    }

    static VerifyProgress reconcile(Registry registry, Context<Registry> context, String image, MigrationProgress migration,
                                    OperatorConfig.Verify config) {
        if (config.connections() <= 0) {
            return new VerifyProgress.None();
        }
        List<Job> jobs = new ArrayList<>(VerifyJob.jobs(context).sorted(OLDEST_FIRST).toList());
        boolean migrated = migration.state() == SchemaMigration.State.SUCCEEDED;
        boolean running = jobs.stream().anyMatch(job -> SchemaMigration.state(job) == SchemaMigration.State.RUNNING);
        if (migrated && !running) {
            wanted(registry, migration).filter(trigger -> jobs.stream().noneMatch(job -> handles(job, trigger))).findFirst()
                    .map(trigger -> create(registry, context, trigger, new VerifyJob.Settings(image,
                            trigger.kind() == Trigger.Kind.REQUEST && deepAsked(registry), config.connections(), config.deadline())))
                    .ifPresent(jobs::add);
        }
        tidy(context, jobs);
        return jobs.isEmpty() ? new VerifyProgress.None() : progress(registry, context, jobs.getLast());
    }

    /** What asks for a verify now, in order: the current image's successful migration, then the annotation. */
    private static Stream<Trigger> wanted(Registry registry, MigrationProgress migration) {
        String asked = RegistryChanges.verifyRequested(registry);
        return Stream.of(new Trigger(Trigger.Kind.MIGRATION, migration.job()),
                asked == null || asked.isBlank() ? null : new Trigger(Trigger.Kind.REQUEST, asked.strip())).filter(Objects::nonNull);
    }

    private static boolean deepAsked(Registry registry) {
        Map<String, String> annotations = registry.getMetadata().getAnnotations();
        return annotations != null && "true".equalsIgnoreCase(annotations.get(FleetNames.VERIFY_DEEP_ANNOTATION));
    }

    private static boolean handles(Job job, Trigger trigger) {
        return VerifyJob.triggerOf(job).filter(trigger::equals).isPresent();
    }

    /** Creates the Job (its name is its trigger's: a second create of the same one, from a stale cache, is a no-op). */
    private static Job create(Registry registry, Context<Registry> context, Trigger trigger, VerifyJob.Settings settings) {
        Job job = VerifyJob.job(registry, trigger, settings, Instant.now());
        job.addOwnerReference(registry);
        try {
            Job created = context.getClient().resource(job).create();
            LOG.infof("%s/%s: verify Job %s started, %s", registry.getMetadata().getNamespace(), registry.getMetadata().getName(),
                    job.getMetadata().getName(), trigger);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return job;
        }
    }

    /** Deletes the finished Jobs but the newest of each kind. */
    private static void tidy(Context<Registry> context, List<Job> oldestFirst) {
        List<Job> keep = new ArrayList<>();
        for (Trigger.Kind kind : Trigger.Kind.values()) {
            oldestFirst.stream().filter(job -> VerifyJob.triggerOf(job).map(Trigger::kind).filter(kind::equals).isPresent())
                    .reduce((older, newer) -> newer).ifPresent(keep::add);
        }
        List<Job> gone = oldestFirst.stream().filter(job -> !keep.contains(job))
                .filter(job -> SchemaMigration.state(job) != SchemaMigration.State.RUNNING).toList();
        gone.forEach(job -> context.getClient().resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
        oldestFirst.removeAll(gone);
    }

    private static VerifyProgress progress(Registry registry, Context<Registry> context, Job newest) {
        String name = newest.getMetadata().getName();
        Trigger trigger = VerifyJob.triggerOf(newest).orElse(new Trigger(Trigger.Kind.REQUEST, "?"));
        boolean deep = VerifyJob.deep(newest);
        // recorded first: a finished Job never runs again, so a running one after its verdict is a stale cache's view
        // (one of the watches of Jobs can be behind the other), which must not put the verdict back to Running
        VerificationStatus recorded = registry.getStatus() == null ? null : registry.getStatus().verification;
        if (recorded != null && name.equals(recorded.job) && !VerificationStatus.RUNNING.equals(recorded.state)) {
            return new VerifyProgress.Recorded();
        }
        if (SchemaMigration.state(newest) == SchemaMigration.State.RUNNING) {
            return new VerifyProgress.Running(name, trigger, deep);
        }
        Optional<Pod> pod = context.getClient().pods().inNamespace(registry.getMetadata().getNamespace())
                .withLabel("job-name", name).list().getItems().stream()
                .max(Comparator.comparing(p -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), "")));
        Optional<VerifySummary> summary = pod.flatMap(p -> log(context, p)).flatMap(VerifySummary::fromLog);
        OptionalInt exit = pod.map(VerifyRuns::exitCode).orElse(OptionalInt.empty());
        return new VerifyProgress.Finished(name, trigger, deep, finishedAt(newest), summary, exit);
    }

    /** When the Job completed or failed (its finishing condition's time). */
    private static Instant finishedAt(Job job) {
        return Optional.ofNullable(job.getStatus().getCompletionTime())
                .or(() -> Optional.ofNullable(job.getStatus().getConditions()).stream().flatMap(List::stream)
                        .filter(c -> "True".equals(c.getStatus()) && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())))
                        .map(c -> c.getLastTransitionTime()).filter(Objects::nonNull).findFirst())
                .map(Instant::parse).orElseGet(Instant::now);
    }

    private static Optional<String> log(Context<Registry> context, Pod pod) {
        try {
            return Optional.ofNullable(context.getClient().pods().inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName()).tailingLines(LOG_TAIL_LINES).getLog());
        } catch (KubernetesClientException e) {
            LOG.infof("cannot read the log of verify pod %s: %s", pod.getMetadata().getName(), e.getMessage());
            return Optional.empty();
        }
    }

    private static OptionalInt exitCode(Pod pod) {
        return Optional.ofNullable(pod.getStatus()).map(s -> s.getContainerStatuses()).stream().flatMap(List::stream)
                .map(ContainerStatus::getState).filter(s -> s != null && s.getTerminated() != null)
                .mapToInt(s -> s.getTerminated().getExitCode()).findFirst();
    }
}
