package io.regfleet.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds an application's image with Jib from its packaged fast-jar on a base image and pushes it to a registry:
 * no daemon, reproducible (Jib fixes file and image times), layered from the least to the most often changed.
 */
final class AppImageBuilder {
    static final AbsoluteUnixPath HOME = AbsoluteUnixPath.get("/deployments");
    /** The project's own libraries change with every commit; the third-party ones rarely: separate layers. */
    private static final Predicate<Path> PROJECT_LIBRARY = p -> p.getFileName().toString().startsWith("io.regfleet.");

    private AppImageBuilder() {
    }

    /** The image's entrypoint: plain {@code java -jar}; on JDK 21 Quarkus needs no {@code --add-opens}. */
    static List<String> entrypoint() {
        // the JVM's default heap is a quarter of the container's memory limit: most of a pod's memory would sit idle
        return List.of("java", "-XX:MaxRAMPercentage=75", "-jar", HOME.resolve("quarkus-run.jar").toString());
    }

    /** Builds {@code target} from {@code base} and returns its digest. */
    static String build(Application application, Path quarkusApp, String base, String target, Map<String, String> labels,
                        boolean plainHttp, Path cache) {
        try {
            Path libMain = quarkusApp.resolve("lib/main");
            JibContainer container = Jib.from(registryImage(base))
                    .setFormat(ImageFormat.OCI)
                    .addFileEntriesLayer(directoryLayer("boot-libraries", quarkusApp.resolve("lib/boot"), HOME.resolve("lib/boot")))
                    .addFileEntriesLayer(filesLayer("libraries", libMain, PROJECT_LIBRARY.negate()))
                    .addFileEntriesLayer(filesLayer("project-libraries", libMain, PROJECT_LIBRARY))
                    .addFileEntriesLayer(FileEntriesLayer.builder().setName("application")
                            .addEntry(quarkusApp.resolve("quarkus-run.jar"), HOME.resolve("quarkus-run.jar"))
                            .addEntryRecursive(quarkusApp.resolve("app"), HOME.resolve("app"))
                            .addEntryRecursive(quarkusApp.resolve("quarkus"), HOME.resolve("quarkus"))
                            .build())
                    .setEntrypoint(entrypoint())
                    .setProgramArguments(List.of())
                    .setUser(DebianBase.USER)
                    .setWorkingDirectory(HOME)
                    .setExposedPorts(application.ports().stream().map(Port::tcp).collect(Collectors.toSet()))
                    .setLabels(labels)
                    .containerize(Containerizer.to(registryImage(target))
                            .setAllowInsecureRegistries(plainHttp)
                            .setBaseImageLayersCache(cache.resolve("jib/base"))
                            .setApplicationLayersCache(cache.resolve("jib/application"))
                            .setToolName("regfleet-images")
                            .addEventHandler(LogEvent.class, AppImageBuilder::log));
            return container.getDigest().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building " + target, e);
        } catch (Exception e) { // Jib's checked RegistryException, CacheDirectoryCreationException, ExecutionException
            throw new IllegalStateException("cannot build " + target + ": " + e.getMessage(), e);
        }
    }

    /** A registry image with the credentials docker login or skopeo login stored (none needed for the local registry). */
    private static RegistryImage registryImage(String reference) throws InvalidImageReferenceException {
        ImageReference parsed = ImageReference.parse(reference);
        CredentialRetrieverFactory credentials = CredentialRetrieverFactory.forImage(parsed, AppImageBuilder::log);
        return RegistryImage.named(parsed)
                .addCredentialRetriever(credentials.dockerConfig())
                .addCredentialRetriever(credentials.wellKnownCredentialHelpers());
    }

    private static FileEntriesLayer directoryLayer(String name, Path source, AbsoluteUnixPath target) throws IOException {
        return FileEntriesLayer.builder().setName(name).addEntryRecursive(source, target).build();
    }

    private static FileEntriesLayer filesLayer(String name, Path folder, Predicate<Path> which) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        AbsoluteUnixPath target = HOME.resolve("lib/main");
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(which).sorted().forEach(f -> layer.addEntry(f, target.resolve(f.getFileName().toString())));
        }
        return layer.build();
    }

    /** Jib's warnings and errors, less its HTTPS-then-HTTP probing of a plain-HTTP registry (asked for: no news). */
    private static void log(LogEvent event) {
        boolean problem = event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN;
        if (problem && !event.getMessage().contains("Attempting again with")) {
            System.out.println("  jib: " + event.getMessage());
        }
    }
}
