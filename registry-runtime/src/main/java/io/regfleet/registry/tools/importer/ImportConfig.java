package io.regfleet.registry.tools.importer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code regfleet import} (prefix {@code regfleet.import}); the mode itself is {@code regfleet.mode=import}. */
@ConfigMapping(prefix = "regfleet.import")
public interface ImportConfig {

    /** The source registry's base URL, e.g. {@code https://registry.example:5000}. Env: REGFLEET_IMPORT_FROM. */
    Optional<String> from();

    /** The source's user name (Basic, or for a Bearer token service). Env: REGFLEET_IMPORT_USERNAME. */
    Optional<String> username();

    /** The source's password or token. Env: REGFLEET_IMPORT_PASSWORD (prefer the file). */
    Optional<String> password();

    /** A file holding the password (a mounted Secret); read once at start. Env: REGFLEET_IMPORT_PASSWORD_FILE. */
    Optional<Path> passwordFile();

    /** Only these repositories (comma-separated); absent: every repository of the source's catalog. Env: REGFLEET_IMPORT_REPOSITORIES. */
    Optional<List<String>> repositories();

    /** Workers; absent: as many as the pool and the worker limit allow (less one). Env: REGFLEET_IMPORT_PARALLELISM. */
    OptionalInt parallelism();

    /** The proof re-hashes every imported blob's stored bytes (off: present with the right size). Env: REGFLEET_IMPORT_VERIFY_BLOBS. */
    @WithDefault("true")
    boolean verifyBlobs();

    /** Entries asked per catalog or tags page. Env: REGFLEET_IMPORT_PAGE_SIZE. */
    @WithDefault("100")
    int pageSize();

    /** Longest wait for the source's answer to start (a blob then streams for as long as it takes). Env: REGFLEET_IMPORT_TIMEOUT. */
    @WithDefault("60S")
    Duration timeout();

    /** Differences listed in the summary line (all are counted). Env: REGFLEET_IMPORT_REPORT_DIFFERENCES. */
    @WithDefault("100")
    int reportDifferences();
}
