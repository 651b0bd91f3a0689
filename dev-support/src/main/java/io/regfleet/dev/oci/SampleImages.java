package io.regfleet.dev.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A registry's worth of small images of every kind a registry stores, pushed with a {@link RegistryPusher}: per
 * repository, tags of OCI images, Docker v2 images, OCI indexes and Docker manifest lists of two platforms each, and
 * on every third tag two artifacts (an SBOM and a signature) whose subject is the tagged manifest, listed as well under
 * the referrers tag schema's {@code sha256-<hex>} tag (an OCI index), as clients do on a registry without the referrers
 * API. Layers are random bytes: one shared by every repository, one per repository, one per image.
 */
public final class SampleImages {
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    private static final byte[] EMPTY_CONFIG = "{}".getBytes();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param prefix        repository names are {@code prefix/app-<n>}
     * @param sharedBytes   size of the layer every repository shares, and of each repository's own base layer
     * @param maxLayerBytes each image's own layer is 1 KiB to this many bytes
     */
    public record Options(String prefix, int repositories, int tagsPerRepository, int sharedBytes, int maxLayerBytes,
                          long seed) {
    }

    /**
     * What was pushed.
     *
     * @param tags      per repository, its tags (the referrers schema's included)
     * @param manifests every manifest as {@code repository@digest}
     * @param blobs     every blob's size by digest
     */
    public record Pushed(Map<String, List<String>> tags, Set<String> manifests, Map<String, Long> blobs) {
        public int tagCount() {
            return tags.values().stream().mapToInt(List::size).sum();
        }

        public long blobBytes() {
            return blobs.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final RegistryPusher pusher;
    private final Options options;
    private final byte[] shared;
    private final Set<String> manifests = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> blobs = new ConcurrentHashMap<>();

    private SampleImages(RegistryPusher pusher, Options options) {
        this.pusher = pusher;
        this.options = options;
        this.shared = random(new Random(options.seed()), options.sharedBytes());
    }

    /** Pushes the whole set, {@code threads} repositories at a time. */
    public static Pushed push(RegistryPusher pusher, Options options, int threads) {
        SampleImages images = new SampleImages(pusher, options);
        Map<String, List<String>> tags = new TreeMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<List<String>>> repositories = new ArrayList<>();
            for (int r = 0; r < options.repositories(); r++) {
                int n = r;
                repositories.add(pool.submit(() -> images.repository(n)));
            }
            for (int r = 0; r < repositories.size(); r++) {
                tags.put(images.name(r), repositories.get(r).get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("pushing the sample images failed: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Pushed(tags, Set.copyOf(images.manifests), Map.copyOf(images.blobs));
    }

    /** Pushes one more OCI image tagged {@code tag} whose own layer is {@code layer}; returns the manifest's digest. */
    public static String pushImage(RegistryPusher pusher, String repository, String tag, byte[] layer) {
        SampleImages images = new SampleImages(pusher, new Options("", 0, 0, 1024, 1024, 1));
        byte[] manifest = images.image(repository, new Random(), "amd64", false, layer);
        return pusher.pushManifest(repository, tag, Descriptor.MANIFEST, manifest);
    }

    private String name(int repository) {
        return options.prefix() + "/app-" + repository;
    }

    private List<String> repository(int index) {
        String repository = name(index);
        Random random = new Random(options.seed() * 31 + index);
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < options.tagsPerRepository(); i++) {
            String tag = "v" + i;
            Pushable root = switch (i % 5) {
                case 0 -> index(repository, random, false);
                case 1 -> new Pushable(DOCKER_MANIFEST, image(repository, random, "amd64", true, null));
                case 2 -> index(repository, random, true);
                default -> new Pushable(Descriptor.MANIFEST, image(repository, random, "amd64", false, null));
            };
            String digest = manifest(repository, tag, root.mediaType(), root.content());
            tags.add(tag);
            if (i % 3 == 0) {
                tags.add(referrers(repository, random, new Descriptor(root.mediaType(), digest, root.content().length)));
            }
        }
        return tags;
    }

    private record Pushable(String mediaType, byte[] content) {
    }

    private Pushable index(String repository, Random random, boolean docker) {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", docker ? DOCKER_LIST : Descriptor.INDEX);
        ArrayNode entries = index.putArray("manifests");
        for (String architecture : List.of("amd64", "arm64")) {
            byte[] child = image(repository, random, architecture, docker, null);
            String mediaType = docker ? DOCKER_MANIFEST : Descriptor.MANIFEST;
            String digest = manifest(repository, null, mediaType, child);
            ObjectNode entry = descriptor(new Descriptor(mediaType, digest, child.length));
            entry.putObject("platform").put("architecture", architecture).put("os", "linux");
            entries.add(entry);
        }
        return new Pushable(docker ? DOCKER_LIST : Descriptor.INDEX, bytes(index));
    }

    private byte[] image(String repository, Random random, String architecture, boolean docker, byte[] ownLayer) {
        byte[] own = ownLayer != null ? ownLayer
                : random(random, 1024 + random.nextInt(Math.max(1, options.maxLayerBytes() - 1024)));
        byte[] repositoryBase = random(new Random(repository.hashCode()), options.sharedBytes());
        List<Descriptor> layers = new ArrayList<>();
        for (byte[] layer : List.of(shared, repositoryBase, own)) {
            layers.add(new Descriptor(docker ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : Descriptor.LAYER_TAR,
                    blob(repository, layer), layer.length));
        }
        ObjectNode config = JSON.createObjectNode().put("architecture", architecture).put("os", "linux")
                .put("created", "1970-01-01T00:00:00Z");
        config.putObject("config").putObject("Labels").put("io.regfleet.sample", Long.toHexString(random.nextLong()));
        ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        layers.forEach(layer -> diffIds.add(layer.digest()));
        byte[] configBytes = bytes(config);
        String configType = docker ? "application/vnd.docker.container.image.v1+json" : Descriptor.CONFIG;
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", docker ? DOCKER_MANIFEST : Descriptor.MANIFEST);
        manifest.set("config", descriptor(new Descriptor(configType, blob(repository, configBytes), configBytes.length)));
        ArrayNode layerList = manifest.putArray("layers");
        layers.forEach(layer -> layerList.add(descriptor(layer)));
        return bytes(manifest);
    }

    /** An SBOM and a signature for the subject, and the referrers schema's tag listing them; returns that tag. */
    private String referrers(String repository, Random random, Descriptor subject) {
        ObjectNode fallback = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", Descriptor.INDEX);
        ArrayNode listed = fallback.putArray("manifests");
        for (String artifactType : List.of("application/vnd.example.sbom.v1+json", "application/vnd.example.signature")) {
            byte[] payload = ("{\"for\":\"" + subject.digest() + "\",\"n\":" + random.nextLong() + "}").getBytes();
            ObjectNode artifact = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", Descriptor.MANIFEST)
                    .put("artifactType", artifactType);
            artifact.set("config", descriptor(new Descriptor("application/vnd.oci.empty.v1+json",
                    blob(repository, EMPTY_CONFIG), EMPTY_CONFIG.length)));
            artifact.putArray("layers").add(descriptor(new Descriptor(artifactType, blob(repository, payload),
                    payload.length)));
            artifact.set("subject", descriptor(subject));
            byte[] content = bytes(artifact);
            String digest = manifest(repository, null, Descriptor.MANIFEST, content);
            listed.add(descriptor(new Descriptor(Descriptor.MANIFEST, digest, content.length)).put("artifactType",
                    artifactType));
        }
        String tag = subject.digest().replace(':', '-');
        manifest(repository, tag, Descriptor.INDEX, bytes(fallback));
        return tag;
    }

    private String blob(String repository, byte[] content) {
        String digest = pusher.pushBlob(repository, content);
        blobs.put(digest, (long) content.length);
        return digest;
    }

    /** Pushes a manifest by tag, or by its digest when {@code tag} is null. */
    private String manifest(String repository, String tag, String mediaType, byte[] content) {
        String digest = RegistryPusher.sha256(content);
        pusher.pushManifest(repository, tag == null ? digest : tag, mediaType, content);
        manifests.add(repository + "@" + digest);
        return digest;
    }

    private static ObjectNode descriptor(Descriptor d) {
        return JSON.createObjectNode().put("mediaType", d.mediaType()).put("digest", d.digest()).put("size", d.size());
    }

    private static byte[] random(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
