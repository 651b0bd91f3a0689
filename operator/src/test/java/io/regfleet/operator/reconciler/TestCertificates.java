package io.regfleet.operator.reconciler;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** A certificate authority made in the test, and a server certificate it signs for 127.0.0.1 (BouncyCastle). */
final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {
    }

    /** A key pair and its certificate, in PEM as PostgreSQL and the JDBC driver read them. */
    record Issued(KeyPair keys, X509Certificate certificate) {
        String certificatePem() {
            return pem("CERTIFICATE", encoded());
        }

        String privateKeyPem() {
            return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
        }

        private byte[] encoded() {
            try {
                return certificate.getEncoded();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Issued authority(String name) {
        KeyPair keys = keyPair();
        return new Issued(keys, sign(name, keys, name, keys, true, null));
    }

    /** A server certificate for 127.0.0.1 and localhost, signed by the authority. */
    static Issued server(Issued authority) {
        KeyPair keys = keyPair();
        GeneralNames names = new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")});
        String issuer = authority.certificate().getSubjectX500Principal().getName();
        return new Issued(keys, sign("CN=127.0.0.1", keys, issuer, authority.keys(), false, names));
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys, boolean ca,
                                        GeneralNames names) {
        try {
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), new X500Name(subject),
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            if (names != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, names);
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test certificate " + subject, e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
