package io.regfleet.e2e.k3s;

import io.regfleet.dev.LocalRegistry;
import io.regfleet.images.Command;
import io.regfleet.images.ImageBuild;
import io.regfleet.images.ImageRegistry;
import io.regfleet.images.ProjectImages;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The images of {@code make images} (module images/: Jib on the JRE base built from Debian, or on the base that
 * {@code -Dregfleet.images.base} names), built into a throwaway registry of the project's own and moved from there into
 * the cluster's containerd: the manifests' IfNotPresent pull policy then finds them.
 */
final class ClusterImages {
    /** The names the cluster knows the images by. */
    record Loaded(String runtimeImage, String operatorName, String tag) {
    }

    private ClusterImages() {
    }

    static Loaded buildAndLoad(RepositoryLayout repo, Kubectl cluster, String tag) {
        ProjectImages project = ProjectImages.load();
        Path blobs = temporaryFolder("regfleet-k3s-blobs");
        try (LocalRegistry.Running local = LocalRegistry.startTemporary(blobs)) {
            String base = System.getProperty("regfleet.images.base", "");
            List<ImageBuild.Pushed> pushed = new ImageBuild(project, repo.root(), repo.root().resolve(".regfleet/images"), null)
                    .build(new ImageRegistry("127.0.0.1:" + local.registry().port()), base.isBlank() ? null : base);
            String runtime = project.group() + "/" + project.runtimeName();
            String operator = project.group() + "/" + project.operatorName();
            load(cluster, pushed.get(1).reference(), runtime + ":" + tag);
            load(cluster, pushed.get(2).reference(), operator + ":" + tag);
            return new Loaded(runtime + ":" + tag, operator, tag);
        }
    }

    /** skopeo writes the image as a docker-archive under the cluster's name for it; containerd imports that. */
    private static void load(Kubectl cluster, String pushed, String name) {
        Path tarball = temporaryFolder("regfleet-k3s-image").resolve("image.tar");
        try {
            Command.output(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + pushed,
                    "docker-archive:" + tarball + ":" + name));
            String inContainer = "/tmp/" + name.replace('/', '_').replace(':', '-') + ".tar";
            cluster.k3s().copyFileToContainer(MountableFile.forHostPath(tarball), inContainer);
            cluster.ctr("-n", "k8s.io", "images", "import", inContainer);
            cluster.k3s().execInContainer("rm", "-f", inContainer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            tarball.toFile().delete();
            tarball.getParent().toFile().delete();
        }
    }

    private static Path temporaryFolder(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
