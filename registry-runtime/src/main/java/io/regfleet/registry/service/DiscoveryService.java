package io.regfleet.registry.service;

import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.metadata.Database;
import io.regfleet.registry.metadata.Manifests;
import io.regfleet.registry.metadata.Referrer;
import io.regfleet.registry.metadata.Repositories;
import io.regfleet.registry.metadata.Tags;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Tag lists, the catalog and referrers: paginated, one or two indexed queries each. */
@ApplicationScoped
public class DiscoveryService {
    private final Database db;
    private final RegistryConfig config;

    public DiscoveryService(Database db, RegistryConfig config) {
        this.db = db;
        this.config = config;
    }

    /** One page and whether more follow it. */
    public record Page(List<String> entries, boolean more) {
        public String lastEntry() {
            return entries.isEmpty() ? null : entries.getLast();
        }
    }

    /** @param requested the client's {@code n}, or null for the default page */
    public Page tags(RepositoryName repository, Integer requested, String last) {
        int size = pageSize(requested);
        return db.read(c -> {
            long id = Repositories.find(c, repository).orElseThrow(() -> RegistryException.nameUnknown(repository));
            return size == 0 ? new Page(List.of(), false) : page(Tags.page(c, id, last, size + 1), size);
        });
    }

    public Page catalog(Integer requested, String last) {
        int size = pageSize(requested);
        return size == 0 ? new Page(List.of(), false) : db.read(c -> page(Repositories.page(c, last, size + 1), size));
    }

    public List<Referrer> referrers(RepositoryName repository, Digest subject, String artifactType) {
        return db.read(c -> Manifests.referrers(c, repository, subject, artifactType));
    }

    private int pageSize(Integer requested) {
        int max = config.listing().maxPageSize();
        return requested == null ? max : Math.min(requested, max);
    }

    private static Page page(List<String> fetched, int size) {
        return fetched.size() > size ? new Page(fetched.subList(0, size), true) : new Page(fetched, false);
    }
}
