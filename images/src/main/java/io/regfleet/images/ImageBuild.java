package io.regfleet.images;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code make images} does: the base (assembled from Debian, or a given one), then the registry runtime and the
 * operator on it, all pushed to one registry under the names and the version of {@link ProjectImages}.
 * {@code repository}: the checkout with the packaged applications; {@code cache}: where the base and Jib's layers are
 * kept; {@code log}: the base build's output, or null for this terminal.
 */
public record ImageBuild(ProjectImages project, Path repository, Path cache, Path log) {
    /** One image in the registry; the digest is null for a base that was given, not pushed. */
    public record Pushed(String role, String reference, String digest, String note) {
    }

    /** {@code baseImage}: a base to build on instead of the Debian one (e.g. eclipse-temurin:21-jre), or null. */
    public List<Pushed> build(ImageRegistry registry, String baseImage) {
        List<Pushed> pushed = new ArrayList<>();
        Pushed base = baseImage != null ? new Pushed("base", baseImage, null, "given") : debianBase(registry);
        pushed.add(base);
        Map<String, String> common = labels(base);
        // by digest when known: the images are then made of exactly the base just pushed
        String from = base.digest() == null ? base.reference() : base.reference() + "@" + base.digest();
        for (Application application : Application.ALL) {
            String target = project.reference(registry.address(), project.imageName(application));
            Map<String, String> labels = new LinkedHashMap<>(common);
            labels.put("org.opencontainers.image.title", application.title());
            labels.put("org.opencontainers.image.description", application.description());
            long started = System.nanoTime();
            String digest = AppImageBuilder.build(application, application.quarkusApp(repository), from, target,
                    labels, registry.plainHttp(), cache);
            pushed.add(new Pushed(project.imageName(application), target, digest, seconds(started)));
        }
        return pushed;
    }

    private Pushed debianBase(ImageRegistry registry) {
        long started = System.nanoTime();
        DebianBase.Built built = new DebianBase(cache.resolve("base"), log).build();
        String reference = project.repository(registry.address(), project.baseName()) + ":" + built.tag();
        String digest = Skopeo.push(built.layoutReference(), reference, registry);
        return new Pushed("base", reference, digest, "OpenJDK " + built.javaVersion()
                + (built.cached() ? ", cached in " + built.folder() : ", built from Debian packages") + ", " + seconds(started));
    }

    /** The OCI labels every application image carries (title and description are added per image). */
    private Map<String, String> labels(Pushed base) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.version", project.version());
        labels.put("org.opencontainers.image.revision", revision());
        labels.put("org.opencontainers.image.source", project.source());
        labels.put("org.opencontainers.image.licenses", project.licenses());
        labels.put("org.opencontainers.image.base.name", base.reference());
        if (base.digest() != null) {
            labels.put("org.opencontainers.image.base.digest", base.digest());
        }
        return labels;
    }

    /** The commit the images are built from; "unknown" outside a git checkout. */
    private String revision() {
        try {
            return Command.output(List.of("git", "-C", repository.toString(), "rev-parse", "HEAD"));
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static String seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000_000 + " s";
    }
}
