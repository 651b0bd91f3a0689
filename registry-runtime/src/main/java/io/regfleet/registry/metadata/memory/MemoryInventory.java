package io.regfleet.registry.metadata.memory;

import io.regfleet.registry.metadata.DigestRange;
import io.regfleet.registry.metadata.Inventory;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.oci.RepositoryName;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@link Inventory} over {@link MemoryMetadata}: a manifest cursor is {@code digest/repository name}. */
record MemoryInventory(MemoryMetadata metadata) implements Inventory {

    @Override
    public ScanPage<ScannedManifest> manifests(DigestRange range, String cursor, int limit, long maxBytes) {
        return metadata.unit(m -> {
            List<Map.Entry<String, MemoryMetadata.Manifest>> after = new ArrayList<>();
            m.repositories().forEach((name, repo) -> repo.manifests.values().forEach(manifest -> {
                String key = manifest.digest() + "/" + name;
                if (range.contains(manifest.digest().toString()) && (cursor == null || key.compareTo(cursor) > 0)) {
                    after.add(Map.entry(key, manifest));
                }
            }));
            after.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
            List<ScannedManifest> items = new ArrayList<>();
            long bytes = 0;
            String last = cursor;
            for (Map.Entry<String, MemoryMetadata.Manifest> entry : after) {
                if (items.size() == limit || (bytes >= maxBytes && !items.isEmpty())) {
                    break;
                }
                MemoryMetadata.Manifest manifest = entry.getValue();
                String repository = entry.getKey().substring(entry.getKey().indexOf('/') + 1);
                items.add(new ScannedManifest(new RepositoryName(repository), new StoredManifest(manifest.digest(),
                        manifest.parsed().mediaType(), manifest.content().clone())));
                bytes += manifest.content().length;
                last = entry.getKey();
            }
            return new ScanPage<>(items, last, items.size() < after.size());
        });
    }

    @Override
    public ScanPage<ScannedBlob> blobs(DigestRange range, String cursor, int limit) {
        return metadata.unit(m -> {
            List<ScannedBlob> all = m.blobSizes().entrySet().stream()
                    .filter(e -> range.contains(e.getKey().toString())
                            && (cursor == null || e.getKey().toString().compareTo(cursor) > 0))
                    .sorted(Comparator.comparing(e -> e.getKey().toString()))
                    .map(e -> new ScannedBlob(e.getKey(), e.getValue(), m.quarantined().contains(e.getKey())))
                    .toList();
            List<ScannedBlob> items = all.subList(0, Math.min(limit, all.size()));
            String last = items.isEmpty() ? cursor : items.getLast().digest().toString();
            return new ScanPage<>(items, last, items.size() < all.size());
        });
    }
}
