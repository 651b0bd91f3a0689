package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.regfleet.dev.auth.LocalCa;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.AuthSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.api.v1alpha1.TlsSpec;
import io.regfleet.operator.dependent.FleetObjects;
import io.regfleet.operator.reconciler.Prerequisites.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key material checks the mock cluster tests do not reach: an expired certificate, and the operator's token key
 * after an admin's rotation went wrong (the operator makes it right: FleetObjects' key passes).
 */
class KeyMaterialChecksTest {
    private static final LocalCa.PemPair SERVER = LocalCa.create("Test CA", Duration.ofDays(2)).issuePem("127.0.0.1", "localhost");

    private static ReferencedSecrets.Reads reads(Secret... secrets) {
        Map<String, Optional<Secret>> byName = new java.util.TreeMap<>();
        for (Secret s : secrets) {
            byName.put(s.getMetadata().getName(), Optional.of(s));
        }
        return new ReferencedSecrets.Reads(byName, Set.of());
    }

    private static Secret secret(String name, Map<String, String> data) {
        return new SecretBuilder().withNewMetadata().withName(name).endMetadata().withStringData(data).build();
    }

    @Test
    void aCertificatePastItsEndIsExpired() {
        Registry registry = SampleRegistries.onS3("ns", "reg");
        registry.getSpec().tls = new TlsSpec();
        registry.getSpec().tls.secretName = "serving";
        var secrets = reads(secret("serving", Map.of(PodContract.TLS_CERT_KEY, SERVER.certificate(),
                PodContract.TLS_KEY_KEY, SERVER.key())));

        Verdict valid = TlsCheck.check(registry, secrets, null, Instant.now());
        assertEquals(Reasons.CERTIFICATE_VALID, valid.reason());
        assertTrue(valid.message().contains("127.0.0.1, localhost"), valid.message());
        Verdict expired = TlsCheck.check(registry, secrets, null, Instant.now().plus(Duration.ofDays(3)));
        assertFalse(expired.met());
        assertEquals(Reasons.CERTIFICATE_EXPIRED, expired.reason());
    }

    @Test
    void theTokenKeyMustHoldAPrivateKeyAndPublicKeys() {
        Registry registry = SampleRegistries.onS3("ns", "reg");
        registry.getSpec().auth = new AuthSpec();
        Secret made = FleetObjects.tokenKeySecret(registry);
        assertEquals(Reasons.ACCESS_CONTROL_CONFIGURED, AccessControlCheck.check(registry, reads(made)).reason());

        Secret publicOnly = secret("reg-token-key", Map.of(PodContract.SIGNING_KEY_KEY, made.getStringData().get(PodContract.VERIFY_KEYS_KEY),
                PodContract.VERIFY_KEYS_KEY, made.getStringData().get(PodContract.VERIFY_KEYS_KEY)));
        Verdict rotatedWrong = AccessControlCheck.check(registry, reads(publicOnly));
        assertFalse(rotatedWrong.met());
        assertEquals(Reasons.SIGNING_KEY_UNPARSABLE, rotatedWrong.reason());
        assertTrue(rotatedWrong.message().contains("signing-key.pem holds no PEM private key"), rotatedWrong.message());

        Secret noVerifyKey = secret("reg-token-key", Map.of(PodContract.SIGNING_KEY_KEY, made.getStringData().get(PodContract.SIGNING_KEY_KEY),
                PodContract.VERIFY_KEYS_KEY, "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n"));
        assertEquals(Reasons.SIGNING_KEY_UNPARSABLE, AccessControlCheck.check(registry, reads(noVerifyKey)).reason());
    }
}
