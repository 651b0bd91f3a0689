package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The referenced-Secrets watch keeps who and which version, never what a Secret holds. */
class SecretMetadataStoreTest {

    @Test
    void aSecretIsStoredWithoutItsDataOrAnnotations() {
        Secret helmRelease = new SecretBuilder().withNewMetadata().withName("sh.helm.release.v1.app.v7").withNamespace("apps")
                .withUid("u-1").withResourceVersion("42").addToLabels("owner", "helm")
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"data\":{...}}").endMetadata()
                .withType("helm.sh/release.v1")
                .withData(Map.of("release", "H4sI".repeat(100_000))).build();
        SecretMetadataStore store = new SecretMetadataStore();
        String key = store.getKey(helmRelease);
        assertEquals("apps/sh.helm.release.v1.app.v7", key);
        store.put(key, helmRelease);

        Secret kept = store.get(key);
        assertEquals("sh.helm.release.v1.app.v7", kept.getMetadata().getName());
        assertEquals("apps", kept.getMetadata().getNamespace());
        assertEquals("42", kept.getMetadata().getResourceVersion());
        assertEquals("u-1", kept.getMetadata().getUid());
        assertTrue(kept.getData() == null || kept.getData().isEmpty(), "no data");
        assertNull(kept.getType());
        assertTrue(kept.getMetadata().getAnnotations() == null || kept.getMetadata().getAnnotations().isEmpty(), "no annotations");
        assertTrue(kept.getMetadata().getLabels() == null || kept.getMetadata().getLabels().isEmpty(), "no labels");
        assertEquals(1, store.size());
        store.remove(key);
        assertEquals(0, store.size());
    }
}
