package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3StorageSpec {
    @JsonPropertyDescription("Bucket name.")
    @Required
    @Size(min = 3, max = 63)
    public String bucket;

    @JsonPropertyDescription("Region of the bucket, e.g. eu-west-1.")
    @Default("us-east-1")
    public String region = "us-east-1";

    @JsonPropertyDescription("Endpoint URL of an S3-compatible service; empty for AWS.")
    public String endpoint;

    @JsonPropertyDescription("Use path-style addressing (most S3-compatible services need it).")
    @Default("false")
    public Boolean pathStyle = false;

    @JsonPropertyDescription("Key prefix under which the registry stores its blobs.")
    public String prefix;

    @JsonPropertyDescription("Secret in this namespace with keys accessKeyId and secretAccessKey; absent: the pod uses the default AWS credential chain (e.g. IRSA).")
    public String credentialsSecret;
}
