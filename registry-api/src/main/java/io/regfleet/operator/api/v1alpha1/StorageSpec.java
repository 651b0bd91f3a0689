package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.s3) != has(self.filesystem)", message = "set exactly one of storage.s3 or storage.filesystem")
public class StorageSpec {
    @JsonPropertyDescription("Blobs in an S3 (or S3-compatible) bucket.")
    public S3StorageSpec s3;

    @JsonPropertyDescription("Blobs on a filesystem backed by an existing PersistentVolumeClaim (ReadWriteMany when more than one pod).")
    public FilesystemStorageSpec filesystem;
}
