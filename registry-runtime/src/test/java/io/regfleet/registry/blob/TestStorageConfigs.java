package io.regfleet.registry.blob;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.util.Map;

/** {@link StorageConfig} as Quarkus would map it, from given properties or environment variables. */
final class TestStorageConfigs {
    private TestStorageConfigs() {
    }

    static StorageConfig fromProperties(Map<String, String> properties) {
        return build(new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 250)));
    }

    static StorageConfig fromEnvironment(Map<String, String> variables) {
        return build(new SmallRyeConfigBuilder().withSources(new EnvConfigSource(variables, 300)));
    }

    private static StorageConfig build(SmallRyeConfigBuilder builder) {
        SmallRyeConfig config = builder.withMapping(StorageConfig.class).build();
        return config.getConfigMapping(StorageConfig.class);
    }
}
