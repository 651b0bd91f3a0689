package io.regfleet.operator.reconciler;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PEM blocks of a Secret as the registry runtime will read them (Bouncy Castle's parser, as the runtime's): private
 * keys in PKCS#8, SEC1 or PKCS#1, public keys and certificates. Nothing here throws: what cannot be read is empty.
 */
final class PemContent {
    private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();
    private static final JcaX509CertificateConverter CERTIFICATES = new JcaX509CertificateConverter();

    private final List<Object> blocks;

    private PemContent(List<Object> blocks) {
        this.blocks = blocks;
    }

    static PemContent of(String pem) {
        List<Object> blocks = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object block; (block = parser.readObject()) != null; ) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            return new PemContent(List.of()); // a damaged block: the whole text is unusable, as it is to the runtime
        }
        return new PemContent(blocks);
    }

    Optional<PrivateKey> privateKey() {
        for (Object block : blocks) {
            try {
                if (block instanceof PEMKeyPair pair) {
                    return Optional.of(KEYS.getPrivateKey(pair.getPrivateKeyInfo()));
                }
                if (block instanceof PrivateKeyInfo info) {
                    return Optional.of(KEYS.getPrivateKey(info));
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The certificates, in order (a chain: the server's first). */
    List<X509Certificate> certificates() {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object block : blocks) {
            if (block instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(CERTIFICATES.getCertificate(holder));
                } catch (CertificateException e) {
                    return List.of();
                }
            }
        }
        return certificates;
    }

    /** Public keys of PUBLIC KEY blocks and of certificates. */
    List<PublicKey> publicKeys() {
        List<PublicKey> keys = new ArrayList<>();
        for (Object block : blocks) {
            try {
                if (block instanceof SubjectPublicKeyInfo info) {
                    keys.add(KEYS.getPublicKey(info));
                } else if (block instanceof X509CertificateHolder holder) {
                    keys.add(KEYS.getPublicKey(holder.getSubjectPublicKeyInfo()));
                }
            } catch (IOException e) {
                return List.of();
            }
        }
        return keys;
    }

    /** Whether the private key signs what the public key verifies: a certificate and its key belong together. */
    static boolean pair(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try { // keys of two kinds fail initVerify: not a pair
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
