package io.regfleet.operator.reconciler;

import io.regfleet.operator.naming.FleetNames;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Optional;

/**
 * A database CA (the PEM of a Secret's ca.crt) as the file the JDBC driver's sslrootcert wants, written once per
 * content under the temporary directory (the operator's only writable place) and named by its digest.
 */
final class CaCertificateFile {
    private static final Path DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"), "regfleet-db-ca");

    private CaCertificateFile() {
    }

    /** The file holding this PEM; empty when it holds no X.509 certificate. */
    static Optional<Path> of(String pem) {
        try {
            if (CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).isEmpty()) {
                return Optional.empty();
            }
        } catch (CertificateException e) {
            return Optional.empty();
        }
        Path file = DIRECTORY.resolve(FleetNames.sha256(pem).substring(0, 32) + ".crt");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(DIRECTORY);
                Path partial = Files.createTempFile(DIRECTORY, "ca", ".partial");
                Files.writeString(partial, pem, StandardCharsets.US_ASCII);
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return Optional.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the database CA to " + file, e);
        }
    }
}
