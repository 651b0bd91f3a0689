package io.regfleet.registry.config;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * PEM keys as openssl, cert-manager and the operator write them (signing keys, TLS keys and certificates), read with Bouncy Castle: a private key in PKCS#8
 * ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}) or PKCS#1 ({@code RSA PRIVATE KEY}), its public key derived;
 * public keys as {@code PUBLIC KEY} blocks or certificates.
 */
public final class PemKeys {
    private static final JcaPEMKeyConverter CONVERTER = new JcaPEMKeyConverter();

    private PemKeys() {
    }

    /** The first private key in the PEM text, with its public key. */
    public static KeyPair keyPair(byte[] pem) throws IOException, GeneralSecurityException {
        for (Object block : blocks(pem)) {
            if (block instanceof PEMKeyPair pair) {
                return withPublicKey(CONVERTER.getPrivateKey(pair.getPrivateKeyInfo())); // its public part may be absent
            }
            if (block instanceof PrivateKeyInfo info) {
                return withPublicKey(CONVERTER.getPrivateKey(info));
            }
        }
        throw new IllegalArgumentException("no private key (PEM: PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
    }

    /** Every public key in the PEM text ({@code PUBLIC KEY} blocks and certificates). */
    public static List<PublicKey> publicKeys(byte[] pem) throws IOException {
        List<PublicKey> keys = new ArrayList<>();
        for (Object block : blocks(pem)) {
            if (block instanceof SubjectPublicKeyInfo info) {
                keys.add(CONVERTER.getPublicKey(info));
            } else if (block instanceof X509CertificateHolder certificate) {
                keys.add(CONVERTER.getPublicKey(certificate.getSubjectPublicKeyInfo()));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no public key (PEM: PUBLIC KEY or CERTIFICATE)");
        }
        return keys;
    }

    /** The key pair of a private key: RSA keys carry their public exponent; EC public keys are d x G on the curve. */
    public static KeyPair withPublicKey(PrivateKey key) throws GeneralSecurityException {
        PublicKey publicKey = switch (key) {
            case RSAPrivateCrtKey rsa -> KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            case ECPrivateKey ec -> ecPublicKey(ec);
            default -> throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm() + " (EC or RSA)");
        };
        return new KeyPair(publicKey, key);
    }

    private static PublicKey ecPublicKey(ECPrivateKey key) throws GeneralSecurityException {
        var bcKey = (org.bouncycastle.jce.interfaces.ECPrivateKey) KeyFactory.getInstance("EC", Provider.INSTANCE).translateKey(key);
        ECParameterSpec curve = bcKey.getParameters();
        ECPoint q = curve.getG().multiply(bcKey.getD()).normalize();
        java.security.spec.ECPoint point = new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, key.getParams())); // the JDK's named curve
    }

    private static List<Object> blocks(byte[] pem) throws IOException {
        List<Object> blocks = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            for (Object block; (block = parser.readObject()) != null; ) {
                blocks.add(block);
            }
        }
        return blocks;
    }

    /** Bouncy Castle as a provider object for the curve arithmetic only; never installed JVM-wide. */
    private static final class Provider {
        static final BouncyCastleProvider INSTANCE = new BouncyCastleProvider();
    }
}
