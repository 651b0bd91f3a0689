package io.regfleet.dev.auth;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A certificate authority of one's own, for TLS in tests and {@code make run TLS=on}: an EC P-256 root that issues
 * server certificates for names and IP addresses. Clients trust it by its {@code ca.crt} (skopeo
 * {@code --dest-cert-dir}, podman {@code --cert-dir}, docker's {@code /etc/docker/certs.d/<host:port>/}).
 */
public final class LocalCa {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final KeyPair key;
    private final X509CertificateHolder certificate;
    private final Duration validity;

    /** A server certificate written as {@code tls.crt} / {@code tls.key}, and its serial number. */
    public record ServerCertificate(Path certificate, Path key, BigInteger serial) {
    }

    private LocalCa(KeyPair key, X509CertificateHolder certificate, Duration validity) {
        this.key = key;
        this.certificate = certificate;
        this.validity = validity;
    }

    /** A new root named {@code name}; it and what it issues are valid for {@code validity}. */
    public static LocalCa create(String name, Duration validity) {
        KeyPair key = newKey();
        X500Name subject = new X500Name("CN=" + name);
        try {
            X509v3CertificateBuilder builder = builder(subject, subject, key, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key.getPublic()));
            return new LocalCa(key, sign(builder, key), validity);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the root certificate (what clients trust), e.g. {@code <dir>/ca.crt}. */
    public Path writeCertificate(Path file) {
        return AuthFiles.write(file, pem(certificate));
    }

    /**
     * Issues a server certificate for {@code names} (host names or IP addresses) with a new key, and writes the
     * chain (server, then root) to {@code <dir>/tls.crt} and the key to {@code <dir>/tls.key}.
     */
    public ServerCertificate issue(Path dir, String... names) {
        KeyPair serverKey = newKey();
        try {
            GeneralName[] alternatives = new GeneralName[names.length];
            for (int i = 0; i < names.length; i++) {
                alternatives[i] = isAddress(names[i]) ? new GeneralName(GeneralName.iPAddress, names[i])
                        : new GeneralName(GeneralName.dNSName, names[i]);
            }
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(certificate.getSubject(), new X500Name("CN=" + names[0]), serverKey, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(serverKey.getPublic()));
            X509CertificateHolder issued = sign(builder, key);
            Path keyFile = AuthFiles.write(dir.resolve("tls.key"), AuthFiles.pem(serverKey.getPrivate()));
            Path certificateFile = AuthFiles.write(dir.resolve("tls.crt"), pem(issued) + pem(certificate));
            return new ServerCertificate(certificateFile, keyFile, issued.getSerialNumber());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server certificate and its key as PEM text, as a Kubernetes TLS Secret holds them. */
    public record PemPair(String certificate, String key) {
    }

    /** Issues a server certificate for {@code names} and returns it as PEM text (the chain, then the key). */
    public PemPair issuePem(String... names) {
        try {
            Path dir = Files.createTempDirectory("regfleet-certificate");
            ServerCertificate issued = issue(dir, names);
            return new PemPair(Files.readString(issued.certificate()), Files.readString(issued.key()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair key, Duration validity) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, key.getPublic());
    }

    private static X509CertificateHolder sign(X509v3CertificateBuilder builder, KeyPair signer) {
        try {
            return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isAddress(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static String pem(X509CertificateHolder certificate) {
        try {
            return AuthFiles.pem("CERTIFICATE", certificate.getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
