package io.regfleet.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The image names and the version, as the root pom declares them (its properties are filtered into
 * project-images.properties at build time): one place for what config/, the operator and the images share.
 */
public record ProjectImages(String version, String registry, String group, String runtimeName, String operatorName,
                            String baseName, String tag, String source, String licenses) {

    public static ProjectImages load() {
        Properties p = new Properties();
        try (InputStream in = ProjectImages.class.getResourceAsStream("project-images.properties")) {
            if (in == null) {
                throw new IllegalStateException("project-images.properties is missing: build the images module with Maven");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProjectImages(p.getProperty("version"), p.getProperty("registry"), p.getProperty("group"),
                p.getProperty("runtime.name"), p.getProperty("operator.name"), p.getProperty("base.name"), p.getProperty("tag"),
                p.getProperty("source"), p.getProperty("licenses"));
    }

    /** {@code registry/group/name:tag}, e.g. {@code ghcr.io/regfleet/registry-runtime:0.1.0}. */
    public String reference(String registry, String name) {
        return repository(registry, name) + ":" + tag;
    }

    /** {@code registry/group/name}: where an image of the project is pushed, under whatever tag. */
    public String repository(String registry, String name) {
        return registry + "/" + group + "/" + name;
    }

    /** The name under which an application's image is published. */
    public String imageName(Application application) {
        return application.name().apply(this);
    }
}
