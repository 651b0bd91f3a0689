package io.regfleet.registry.auth;

import io.regfleet.registry.config.PemKeys;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;

/**
 * The key that signs tokens, its public half and the JWS algorithm it implies (EC P-256: ES256, P-384: ES384,
 * P-521: ES512, RSA: RS256). The key id is the public key's RFC 7638 thumbprint, so every replica given the same key
 * names it the same way.
 */
record SigningKey(PrivateKey privateKey, VerificationKey verification, String algorithm) {

    /** A public key that verifies tokens, with its id. */
    record VerificationKey(PublicKey key, String keyId) {
        static VerificationKey of(PublicKey key) {
            try {
                return new VerificationKey(key, PublicJsonWebKey.Factory.newPublicJwk(key).calculateBase64urlEncodedThumbprint(HashUtil.SHA_256));
            } catch (JoseException e) {
                throw new IllegalArgumentException("unsupported public key: " + e.getMessage(), e);
            }
        }
    }

    static SigningKey of(KeyPair pair) {
        return new SigningKey(pair.getPrivate(), VerificationKey.of(pair.getPublic()), algorithmOf(pair.getPrivate()));
    }

    static SigningKey fromPem(byte[] pem) throws Exception {
        return of(PemKeys.keyPair(pem));
    }

    /** A fresh EC P-256 key (a registry without a configured key; no other replica can verify its tokens). */
    static SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return of(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String keyId() {
        return verification.keyId();
    }

    private static String algorithmOf(PrivateKey key) {
        if (key instanceof ECKey ec) {
            return switch (ec.getParams().getCurve().getField().getFieldSize()) {
                case 256 -> AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
                case 384 -> AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384;
                case 521 -> AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512;
                default -> throw new IllegalArgumentException("unsupported EC curve (P-256, P-384 or P-521)");
            };
        }
        if ("RSA".equals(key.getAlgorithm())) {
            return AlgorithmIdentifiers.RSA_USING_SHA256;
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm() + " (EC or RSA)");
    }
}
