package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Map;

/** The registry pods' own ServiceAccount: what a cloud identity (IRSA, workload identity) is bound to. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ServiceAccountSpec {
    @JsonPropertyDescription("Annotations of the ServiceAccount, e.g. eks.amazonaws.com/role-arn (IRSA), iam.gke.io/gcp-service-account or azure.workload.identity/client-id.")
    public Map<String, String> annotations;
}
