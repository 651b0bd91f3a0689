package io.regfleet.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JRE base image, assembled from Debian 13 (trixie) packages by mmdebstrap: no daemon and no registry needed,
 * only the Debian archive. Built once per state of the archive (the dates of its suites' InRelease files) and kept
 * in the cache folder; offline, the newest base already built is used. {@code cache}: where bases are kept, one
 * folder per archive state; {@code log}: mmdebstrap's output, or null for this terminal.
 */
public record DebianBase(Path cache, Path log) {
    static final String SUITE = "trixie";
    /** trixie with its updates and security fixes (OpenJDK's security releases arrive through trixie-security) */
    static final List<String> SOURCES = List.of(
            "deb http://deb.debian.org/debian trixie main",
            "deb http://deb.debian.org/debian trixie-updates main",
            "deb http://deb.debian.org/debian-security trixie-security main");
    static final List<String> PACKAGES = List.of("openjdk-21-jre-headless", "ca-certificates");
    /** numeric, non-root, group 0: runs under restricted pod security and OpenShift's arbitrary UIDs alike */
    public static final String USER = "1001:0";
    private static final String LAYOUT_TAG = "base";
    private static final DateTimeFormatter RELEASE_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss z", Locale.ENGLISH);

    /** A built base: its OCI layout, the tag it is published under, and the Debian version of its JRE. */
    public record Built(Path folder, String tag, String javaVersion, boolean cached) {
        public String layoutReference() {
            return "oci:" + folder.resolve("oci") + ":" + LAYOUT_TAG;
        }
    }

    public Built build() {
        Optional<List<String>> releaseDates = releaseDates();
        if (releaseDates.isEmpty()) {
            return newestCached().orElseThrow(() -> new IllegalStateException(
                    "the Debian archive is unreachable and no base image was built before in " + cache));
        }
        String key = key(releaseDates.get());
        Path folder = cache.resolve(key);
        if (Files.exists(folder.resolve("oci/index.json"))) {
            return built(folder, true);
        }
        return assemble(folder, releaseDates.get());
    }

    private Built assemble(Path folder, List<String> releaseDates) {
        try {
            Path work = cache.resolve(folder.getFileName() + ".partial");
            deleteRecursively(work); // what an interrupted build left
            Files.createDirectories(work);
            Path rootfs = work.resolve("rootfs.tar");
            Command.run(mmdebstrap(rootfs, work), Map.of("SOURCE_DATE_EPOCH", String.valueOf(newest(releaseDates))), log);
            Map<String, String> versions = DpkgStatus.versions(work.resolve("status"));
            Files.writeString(work.resolve("packages.txt"), versions.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue() + "\n").reduce("", String::concat));
            OciImageWriter.write(rootfs, config(versions.get(PACKAGES.get(0))), work.resolve("oci"), LAYOUT_TAG);
            Files.delete(rootfs);
            Files.move(work, folder);
            return built(folder, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the base image in " + folder, e);
        }
    }

    private static List<String> mmdebstrap(Path rootfs, Path work) {
        List<String> command = new ArrayList<>(List.of("mmdebstrap", "--variant=essential",
                "--include=" + String.join(",", PACKAGES),
                "--dpkgopt=path-exclude=/usr/share/man/*", "--dpkgopt=path-exclude=/usr/share/locale/*",
                "--dpkgopt=path-exclude=/usr/share/doc/*", "--dpkgopt=path-include=/usr/share/doc/*/copyright",
                // OpenJDK's update-alternatives links its man pages into man1, which the exclusion above leaves out
                "--essential-hook=mkdir -p \"$1/usr/share/man/man1\"",
                "--customize-hook=echo 'regfleet:x:1001:0:regfleet:/tmp:/usr/sbin/nologin' >> \"$1/etc/passwd\"",
                "--customize-hook=rm -rf \"$1\"/var/log/*.log \"$1\"/var/log/apt \"$1\"/var/cache/ldconfig/aux-cache",
                "--customize-hook=copy-out /var/lib/dpkg/status " + work,
                SUITE, rootfs.toString()));
        command.addAll(SOURCES);
        return command;
    }

    private static ObjectNode config(String javaVersion) {
        String javaHome = "/usr/lib/jvm/java-21-openjdk-" + debianArchitecture();
        ObjectNode image = new ObjectMapper().createObjectNode().put("architecture", debianArchitecture()).put("os", "linux");
        ObjectNode config = image.putObject("config");
        config.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .add("JAVA_HOME=" + javaHome).add("LANG=C.UTF-8");
        config.put("User", USER).put("WorkingDir", "/");
        config.putObject("Labels")
                .put("org.opencontainers.image.title", "Regfleet JRE base")
                .put("org.opencontainers.image.description", "Debian 13 (trixie) with OpenJDK 21 (headless JRE) and CA certificates")
                .put("org.opencontainers.image.version", javaVersion);
        image.putArray("history").addObject().put("created_by",
                "mmdebstrap --variant=essential --include=" + String.join(",", PACKAGES) + " " + SUITE);
        return image;
    }

    /** Debian's name of this machine's architecture (the base is built for it). */
    static String debianArchitecture() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> throw new IllegalStateException("no Debian base for architecture " + System.getProperty("os.arch"));
        };
    }

    private Built built(Path folder, boolean cached) {
        try {
            String java = Files.readAllLines(folder.resolve("packages.txt")).stream()
                    .filter(l -> l.startsWith(PACKAGES.get(0) + " ")).map(l -> l.substring(l.indexOf(' ') + 1))
                    .findFirst().orElse("unknown");
            return new Built(folder, "21-" + SUITE + "-" + folder.getFileName(), java, cached);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Built> newestCached() {
        if (!Files.isDirectory(cache)) {
            return Optional.empty();
        }
        try (Stream<Path> folders = Files.list(cache)) {
            return folders.filter(f -> Files.exists(f.resolve("oci/index.json")))
                    .max(Comparator.comparing(f -> f.toFile().lastModified()))
                    .map(f -> built(f, true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Date line of each suite's InRelease: the archive's state; empty when the archive cannot be reached. */
    private static Optional<List<String>> releaseDates() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
        List<String> dates = new ArrayList<>();
        for (String source : SOURCES) {
            String[] parts = source.split(" ");
            URI uri = URI.create(parts[1] + "/dists/" + parts[2] + "/InRelease");
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                Optional<String> date = r.statusCode() == 200
                        ? r.body().lines().filter(l -> l.startsWith("Date: ")).map(l -> l.substring(6)).findFirst() : Optional.empty();
                if (date.isEmpty()) {
                    System.out.println("base: " + uri + " answered " + r.statusCode() + " without a Date");
                    return Optional.empty();
                }
                dates.add(date.get());
            } catch (IOException e) {
                System.out.println("base: " + uri + " unreachable (" + e.getMessage() + ")");
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.of(dates);
    }

    /** The recipe and the archive's state: a new package version or a changed recipe gives a new key. */
    private static String key(List<String> releaseDates) {
        String recipe = String.join("\n", mmdebstrap(Path.of("rootfs.tar"), Path.of("work"))) + "\n"
                + config("").toString() + "\n" + String.join("\n", releaseDates);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(recipe.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SOURCE_DATE_EPOCH: the newest suite's date, so that the same archive state gives the same files. */
    private static long newest(List<String> releaseDates) {
        return releaseDates.stream().mapToLong(d -> ZonedDateTime.parse(d, RELEASE_DATE).toEpochSecond()).max().orElseThrow();
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The installed packages and their versions, from a dpkg status file. */
    static final class DpkgStatus {
        private DpkgStatus() {
        }

        static Map<String, String> versions(Path status) throws IOException {
            Map<String, String> versions = new LinkedHashMap<>();
            String name = null;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Package: ")) {
                    name = line.substring(9).trim();
                } else if (line.startsWith("Version: ") && name != null) {
                    versions.put(name, line.substring(9).trim());
                }
            }
            return versions;
        }
    }
}
