package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads required keys of a Secret, or says in a condition's terms what is missing. */
public record SecretCheck(Map<String, String> values, String failureReason, String failureMessage) {

    public static SecretCheck read(Optional<Secret> secret, String name, List<String> requiredKeys) {
        if (secret.isEmpty()) {
            return failed(Reasons.SECRET_NOT_FOUND, "Secret " + name + " not found");
        }
        Map<String, String> data = secret.get().getData() == null ? Map.of() : secret.get().getData();
        Map<String, String> stringData = secret.get().getStringData() == null ? Map.of() : secret.get().getStringData();
        var values = new java.util.LinkedHashMap<String, String>();
        var missing = new java.util.ArrayList<String>();
        for (String key : requiredKeys) {
            String value = data.containsKey(key)
                    ? new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8)
                    : stringData.get(key);
            if (value == null || value.isBlank()) {
                missing.add(key);
            } else {
                values.put(key, value.trim());
            }
        }
        if (!missing.isEmpty()) {
            return failed(Reasons.SECRET_KEY_MISSING, "Secret " + name + " lacks key(s) " + String.join(", ", missing));
        }
        return new SecretCheck(values, null, null);
    }

    private static SecretCheck failed(String reason, String message) {
        return new SecretCheck(Map.of(), reason, message);
    }

    public boolean ok() {
        return failureReason == null;
    }
}
