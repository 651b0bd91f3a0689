package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.stream.Stream;

/**
 * The informer store of the referenced-Secrets watch: every Secret of the watched namespaces is kept as its identity
 * and version only, never its data, labels, annotations (kubectl's last-applied-configuration repeats the data) or
 * managed fields. The watch only tells which Registries to reconcile; the few Secrets a Registry names are read from
 * the API server when it is reconciled ({@link ReferencedSecrets#read}). So the operator's memory does not grow with
 * the Secrets of the cluster (Helm keeps every release as a Secret of up to 1 MiB), which a label selector cannot
 * prevent: the operator cannot label Secrets that users own.
 */
final class SecretMetadataStore implements ItemStore<Secret> {
    private final BasicItemStore<Secret> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

    /** A Secret reduced to what the watch needs: its name, namespace, uid and resourceVersion. */
    static Secret metadataOnly(Secret secret) {
        var metadata = secret.getMetadata();
        return new SecretBuilder().withNewMetadata()
                .withName(metadata.getName())
                .withNamespace(metadata.getNamespace())
                .withUid(metadata.getUid())
                .withResourceVersion(metadata.getResourceVersion())
                .endMetadata().build();
    }

    @Override
    public String getKey(Secret secret) {
        return store.getKey(secret);
    }

    @Override
    public Secret put(String key, Secret secret) {
        return store.put(key, metadataOnly(secret));
    }

    @Override
    public Secret remove(String key) {
        return store.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public Stream<Secret> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public Secret get(String key) {
        return store.get(key);
    }
}
