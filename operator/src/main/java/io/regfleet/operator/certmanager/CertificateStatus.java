package io.regfleet.operator.certmanager;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;
import java.util.Optional;

/** cert-manager's view of a Certificate: its Ready condition and when the issued certificate expires. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class CertificateStatus {
    public List<Condition> conditions;
    public String notAfter;

    public Optional<Condition> ready() {
        return conditions == null ? Optional.empty() : conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }
}
