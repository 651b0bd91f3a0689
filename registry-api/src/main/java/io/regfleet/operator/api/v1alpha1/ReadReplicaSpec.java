package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A read replica of the Registry's database (a hot standby, one instance): same database, credentials
 * and TLS as the primary, its own budget from its own limits.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReadReplicaSpec {
    /** A host name or an IPv4 address: what the pods' replica list (host[:port], comma-separated) can carry. */
    public static final String HOST = "^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$";

    @JsonPropertyDescription("Host name or IPv4 address of the replica: one instance, not a load-balanced endpoint.")
    @Required
    @Pattern(HOST)
    @Size(max = 253)
    public String host;

    @JsonPropertyDescription("Port of the replica. Absent: the primary's (the database Secret's port).")
    @Min(1)
    @Max(65535)
    public Integer port;

    public ReadReplicaSpec() {
    }

    public ReadReplicaSpec(String host, Integer port) {
        this.host = host;
        this.port = port;
    }
}
