package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A cert-manager issuer, as a Certificate's spec.issuerRef names it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IssuerReference {
    @JsonPropertyDescription("The issuer's name.")
    @Required
    public String name;

    @JsonPropertyDescription("Issuer (in this namespace) or ClusterIssuer, or an external issuer's kind.")
    @Default("Issuer")
    public String kind = "Issuer";

    @JsonPropertyDescription("The issuer's API group.")
    @Default("cert-manager.io")
    public String group = "cert-manager.io";
}
