package io.regfleet.e2e.k3s;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Images built from this repository's packaged applications and put straight into the cluster's containerd
 * (no registry in between): the manifests' IfNotPresent pull policy then finds them.
 */
final class ClusterImages {
    private ClusterImages() {
    }

    /** Builds name:tag from the module's Dockerfile.jvm and quarkus-app, then imports it into K3s. */
    static String buildAndLoad(RepositoryLayout repo, String module, String name, String tag, Kubectl cluster) {
        String image = name + ":" + tag;
        new ImageFromDockerfile(image, true)
                .withFileFromPath("Dockerfile", repo.dockerfile(module))
                .withFileFromPath("quarkus-app", repo.quarkusApp(module))
                .get();
        Path tarball = save(name, tag);
        try {
            String inContainer = "/tmp/" + name.replace('/', '_') + "-" + tag + ".tar";
            cluster.k3s().copyFileToContainer(MountableFile.forHostPath(tarball), inContainer);
            cluster.ctr("-n", "k8s.io", "images", "import", inContainer);
            cluster.k3s().execInContainer("rm", "-f", inContainer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(tarball);
        }
        return image;
    }

    private static Path save(String name, String tag) {
        try {
            Path tarball = Files.createTempFile("regfleet-image-", ".tar");
            try (InputStream in = DockerClientFactory.instance().client().saveImageCmd(name).withTag(tag).exec()) {
                Files.copy(in, tarball, StandardCopyOption.REPLACE_EXISTING);
            }
            return tarball;
        } catch (IOException e) {
            throw new UncheckedIOException("docker save " + name + ":" + tag, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file: the OS cleans it up
        }
    }
}
