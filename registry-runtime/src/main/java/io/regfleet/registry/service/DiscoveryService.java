package io.regfleet.registry.service;

import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.Page;
import io.regfleet.registry.metadata.Referrer;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Tag lists, the catalog and referrers: paginated, one or two indexed queries each. */
@ApplicationScoped
public class DiscoveryService {
    private final MetadataStore metadata;
    private final int maxPageSize;

    public DiscoveryService(MetadataStore metadata, RegistryConfig config) {
        this.maxPageSize = config.listing().maxPageSize();
        this.metadata = metadata;
    }

    /** @param requested the client's {@code n}, or null for the default page */
    public Page tags(RepositoryName repository, Integer requested, String last) {
        return metadata.tags(repository, last, pageSize(requested))
                .orElseThrow(() -> RegistryException.nameUnknown(repository));
    }

    public Page catalog(Integer requested, String last) {
        return metadata.catalog(last, pageSize(requested));
    }

    public List<Referrer> referrers(RepositoryName repository, Digest subject, String artifactType) {
        return metadata.referrers(repository, subject, artifactType);
    }

    private int pageSize(Integer requested) {
        return requested == null ? maxPageSize : Math.min(requested, maxPageSize);
    }
}
