package io.regfleet.registry.config;

import io.regfleet.fleet.PodContract;
import io.regfleet.fleet.PodSetting;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pod contract (fleet-api) against the runtime's own configuration: every setting the operator and the local
 * fleet give a pod, set by its environment name as a pod gets it, arrives where the runtime reads it, through one of
 * its config mappings (found by their {@code @ConfigMapping} annotation, whatever they are called) or through
 * application.properties. A renamed property on either side fails here, not in a cluster.
 */
class PodContractBindingTest {
    private static final List<Class<?>> MAPPINGS = configMappings();
    private static final Map<String, String> APPLICATION = applicationProperties();

    @Test
    void everySettingSetByItsEnvironmentNameReachesTheRuntime() {
        List<String> unbound = new ArrayList<>();
        for (PodSetting setting : PodSetting.values()) {
            Optional<Leaf> leaf = MAPPINGS.stream().map(m -> Leaf.find(m, setting.property())).flatMap(Optional::stream).findFirst();
            if (leaf.isPresent()) {
                Object sample = leaf.get().sample();
                String text = sample instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : String.valueOf(sample);
                SmallRyeConfig config = config(Map.of(setting.env(), text));
                assertEquals(sample, leaf.get().read(config), setting + " set as " + setting.env() + " is not what "
                        + leaf.get() + " reads");
                assertExpressionsFollow(setting, config, text);
            } else if (APPLICATION.containsKey(setting.property())) {
                SmallRyeConfig config = config(Map.of(setting.env(), "contract-value"));
                assertEquals("contract-value", config.getRawValue(setting.property()),
                        setting + " set as " + setting.env() + " does not override application.properties");
            } else {
                unbound.add(setting + " (" + setting.property() + ")");
            }
        }
        assertEquals(List.of(), unbound, "settings of the pod contract that no config mapping nor application.properties knows");
    }

    @Test
    void thePortsAndTheMetricsPathAreTheRuntimesDefaults() {
        SmallRyeConfig config = config(Map.of());
        assertEquals(PodContract.HTTP_PORT, config.getValue(PodSetting.HTTP_PORT.property(), Integer.class));
        assertEquals(PodContract.MANAGEMENT_PORT, config.getValue(PodSetting.MANAGEMENT_PORT.property(), Integer.class));
        assertEquals(PodContract.METRICS_PATH, config.getRawValue("quarkus.micrometer.export.prometheus.path"));
        // the health paths are Quarkus' defaults under the management root: nothing may move them
        assertTrue(APPLICATION.keySet().stream().noneMatch(k -> k.startsWith("quarkus.smallrye-health.")
                || k.equals("quarkus.http.non-application-root-path") || k.equals("quarkus.management.root-path")),
                "application.properties moves the health paths of the contract: " + APPLICATION.keySet());
        assertTrue(PodContract.LIVENESS_PATH.startsWith("/q/health/") && PodContract.READINESS_PATH.startsWith("/q/health/"));
    }

    @Test
    void theMappingsAreFoundAndTheWalkerSeesEveryKindOfLeaf() {
        assertFalse(MAPPINGS.isEmpty(), "no @ConfigMapping in the runtime's classes");
        assertTrue(MAPPINGS.contains(RegistryConfig.class), "RegistryConfig not found among " + MAPPINGS);
        assertTrue(Leaf.find(RegistryConfig.class, "regfleet.db.sslmode").isPresent(), "a nested group's leaf");
        assertTrue(Leaf.find(RegistryConfig.class, "regfleet.no-such-setting").isEmpty(), "an unknown name");
    }

    /** application.properties expressions naming the setting (Agroal's maximum, Flyway, the JDBC URL) carry its value. */
    private static void assertExpressionsFollow(PodSetting setting, SmallRyeConfig config, String value) {
        APPLICATION.forEach((key, raw) -> {
            if (raw.contains("${" + setting.property() + ":") || raw.contains("${" + setting.property() + "}")) {
                String expanded = config.getValue(key, String.class);
                assertTrue(expanded.contains(value), key + " does not follow " + setting.env() + ": " + expanded);
            }
        });
    }

    private static SmallRyeConfig config(Map<String, String> environment) {
        // expressions and the converters Quarkus itself registers (its durations are written 10S, 250MS)
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredConverters()
                .withSources(new EnvConfigSource(environment, 300), new PropertiesConfigSource(APPLICATION, "application.properties", 250));
        MAPPINGS.forEach(builder::withMapping);
        return builder.build();
    }

    /** A property's method in a mapping, and the groups that lead to it. */
    private record Leaf(Class<?> mapping, List<Method> path) {
        static Optional<Leaf> find(Class<?> mapping, String property) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            if (!property.startsWith(prefix + ".")) {
                return Optional.empty();
            }
            List<Method> path = new ArrayList<>();
            Class<?> group = mapping;
            String rest = property.substring(prefix.length() + 1);
            while (group != null) {
                Class<?> current = group;
                group = null;
                for (Method m : current.getMethods()) {
                    if (m.getParameterCount() > 0 || Modifier.isStatic(m.getModifiers())) {
                        continue;
                    }
                    String name = name(m);
                    if (rest.equals(name)) {
                        path.add(m);
                        return Optional.of(new Leaf(mapping, path));
                    }
                    if (rest.startsWith(name + ".") && m.getReturnType().isInterface() && m.getReturnType().getName().startsWith("io.regfleet.")) {
                        path.add(m);
                        rest = rest.substring(name.length() + 1);
                        group = m.getReturnType();
                        break;
                    }
                }
            }
            return Optional.empty();
        }

        private static String name(Method m) {
            WithName withName = m.getAnnotation(WithName.class);
            return withName != null ? withName.value() : m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        }

        Method method() {
            return path.getLast();
        }

        /** A value of the leaf's type that is not its default, so reading it back proves it was set. */
        Object sample() {
            Class<?> type = valueType();
            Optional<String> def = Optional.ofNullable(method().getAnnotation(WithDefault.class)).map(WithDefault::value);
            if (type == boolean.class || type == Boolean.class) {
                return !def.map(Boolean::parseBoolean).orElse(false);
            }
            if (type == int.class || type == Integer.class) {
                return def.map(d -> Integer.parseInt(d) + 1).orElse(7);
            }
            if (type == long.class || type == Long.class) {
                return def.map(d -> Long.parseLong(d) + 1).orElse(7L);
            }
            if (type == Duration.class) {
                return Duration.ofMillis(7_250);
            }
            if (type == Path.class) {
                return Path.of("/contract", method().getName());
            }
            if (type.isEnum()) {
                return Arrays.stream(type.getEnumConstants()).filter(c -> !((Enum<?>) c).name().equalsIgnoreCase(def.orElse("")))
                        .findFirst().orElseThrow();
            }
            if (type == String.class) {
                return "contract-" + method().getName().toLowerCase(Locale.ROOT);
            }
            throw new AssertionError("no sample for " + type + " of " + this);
        }

        /** The value type, Optional and OptionalInt unwrapped. */
        private Class<?> valueType() {
            Type type = method().getGenericReturnType();
            if (type == OptionalInt.class) {
                return int.class;
            }
            if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
                return (Class<?>) p.getActualTypeArguments()[0];
            }
            return method().getReturnType();
        }

        /** The leaf's value as the mapping gives it, unwrapped. */
        Object read(SmallRyeConfig config) {
            Object value = config.getConfigMapping(mapping);
            try {
                for (Method m : path) {
                    value = m.invoke(value);
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new AssertionError("cannot read " + this, e);
            }
            if (value instanceof Optional<?> optional) {
                return optional.orElse(null);
            }
            if (value instanceof OptionalInt optional) {
                return optional.isPresent() ? optional.getAsInt() : null;
            }
            return value;
        }

        @Override
        public String toString() {
            return mapping.getSimpleName() + path.stream().map(m -> "." + m.getName() + "()").reduce("", String::concat);
        }
    }

    /** Every {@code @ConfigMapping} among the runtime's main classes (not the tests'). */
    private static List<Class<?>> configMappings() {
        try {
            Path classes = Path.of(RegistryConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<Class<?>> found = new ArrayList<>();
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                    try {
                        Class<?> type = Class.forName(name, false, PodContractBindingTest.class.getClassLoader());
                        if (type.isAnnotationPresent(ConfigMapping.class)) {
                            found.add(type);
                        }
                    } catch (ClassNotFoundException | LinkageError e) {
                        fail("cannot load " + name + ": " + e);
                    }
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> applicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = RegistryConfig.class.getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> map.put(k, properties.getProperty(k)));
        return map;
    }
}
