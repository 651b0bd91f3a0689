package io.regfleet.operator.rebalance;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.regfleet.fleet.PodContract;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * The pod agents' bearer token, read from the Registry's agent-token Secret once and kept until a call fails (then
 * read again: the Secret may have been recreated).
 */
final class AgentToken implements Supplier<String> {
    private final KubernetesClient client;
    private final String namespace;
    private final String secretName;
    private volatile String cached;

    AgentToken(KubernetesClient client, String namespace, String secretName) {
        this.client = client;
        this.namespace = namespace;
        this.secretName = secretName;
    }

    /** @throws IllegalStateException when the Secret or its key does not exist (yet) */
    @Override
    public String get() {
        String token = cached;
        if (token == null) {
            token = read();
            cached = token;
        }
        return token;
    }

    void invalidate() {
        cached = null;
    }

    private String read() {
        Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        if (secret == null) {
            throw new IllegalStateException("Secret " + namespace + "/" + secretName + " not found");
        }
        String key = PodContract.AGENT_TOKEN_KEY;
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8).trim();
        }
        if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
            return secret.getStringData().get(key).trim();
        }
        throw new IllegalStateException("Secret " + namespace + "/" + secretName + " has no key " + key);
    }
}
