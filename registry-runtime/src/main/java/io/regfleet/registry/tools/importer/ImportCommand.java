package io.regfleet.registry.tools.importer;

import io.micrometer.core.instrument.MeterRegistry;
import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.service.BlobService;
import io.regfleet.registry.service.IntegrityGuard;
import io.regfleet.registry.service.ManifestService;
import io.regfleet.registry.service.UploadService;
import io.regfleet.registry.tools.ToolBudget;
import io.regfleet.registry.tools.verify.IntegrityChecks;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code regfleet.mode=import}: copies the repositories of {@code regfleet.import.from} into this registry through
 * its own services and the pod's pool, proves the result, prints the report as one JSON line on standard output and
 * exits 0 (no difference), 1 (differences) or 2 (could not run: configuration, the source unreachable).
 */
@ApplicationScoped
public class ImportCommand {
    private static final Logger LOG = Logger.getLogger(ImportCommand.class);
    private final ImportConfig config;
    private final int maxManifest;
    private final Target target;
    private final ToolBudget budget;

    ImportCommand(ImportConfig config, RegistryConfig registry, MetadataStore metadata, ManifestService manifests,
                  UploadService uploads, BlobService blobs, BlobStore blobStore, MeterRegistry meters,
                  ToolBudget budget) {
        this.config = config;
        this.maxManifest = registry.manifest().maxSize();
        this.target = new Target(metadata, manifests, uploads, blobs,
                new IntegrityChecks(blobStore, new IntegrityGuard(meters), config.verifyBlobs()));
        this.budget = budget;
    }

    public int run() {
        try {
            ImportReport report = importAll();
            System.out.println(report.jsonLine());
            LOG.infof("import from %s: %d repositories, %d tags, %d blobs copied (%.1f MiB) in %.1f s "
                            + "(%.1f images/s, %.1f MiB/s); proof %.1f s: %d differences", report.source(),
                    report.repositories(), report.copied().tags(), report.copied().blobs(),
                    report.copied().bytes() / 1048576.0, report.copySeconds(), report.imagesPerSecond(),
                    report.mibPerSecond(), report.proofSeconds(), report.differenceCount());
            return report.exitCode();
        } catch (IllegalArgumentException | SourceException | UncheckedIOException e) {
            LOG.errorf("import could not run: %s", e.getMessage());
            return 2;
        }
    }

    /**
     * Imports and proves, as configured.
     *
     * @throws IllegalArgumentException when the configuration is not usable
     * @throws SourceException          when the source cannot be listed at all
     */
    public ImportReport importAll() {
        SourceRegistry source = source();
        int parallelism = budget.parallelism(config.parallelism());
        LOG.infof("import from %s with %d workers", source.origin(), parallelism);
        return new Importer(source, target, config.repositories().orElse(List.of()), parallelism,
                config.reportDifferences()).run();
    }

    private SourceRegistry source() {
        String from = config.from().orElseThrow(() -> new IllegalArgumentException(
                "no source: set regfleet.import.from (REGFLEET_IMPORT_FROM) to the registry's URL"));
        URI base = URI.create(from.endsWith("/") ? from : from + "/");
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("regfleet.import.from must be an http(s) URL: " + from);
        }
        if (base.getUserInfo() != null) {
            throw new IllegalArgumentException("put the source's credentials in regfleet.import.username and "
                    + "password(-file), not in the URL");
        }
        SourceHttp http = new SourceHttp(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build(),
                config.timeout());
        return new SourceRegistry(base, http, new SourceAuth(credentials(), http), config.pageSize(), maxManifest);
    }

    private Optional<SourceAuth.Credentials> credentials() {
        Optional<String> password = config.passwordFile().map(path -> {
            try {
                return Files.readString(path).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read regfleet.import.password-file " + path, e);
            }
        }).or(config::password);
        return config.username().map(user -> new SourceAuth.Credentials(user, password.orElse("")));
    }
}
