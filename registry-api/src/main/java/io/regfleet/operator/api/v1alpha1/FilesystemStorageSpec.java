package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

public class FilesystemStorageSpec {
    @JsonPropertyDescription("Name of an existing PersistentVolumeClaim in this namespace, mounted at /var/lib/regfleet/blobs.")
    @Required
    public String claimName;
}
