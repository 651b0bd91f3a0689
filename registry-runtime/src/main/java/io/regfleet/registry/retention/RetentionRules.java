package io.regfleet.registry.retention;

import io.regfleet.registry.oci.NameGlob;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.quarkus.runtime.configuration.DurationConverter;
import io.regfleet.registry.metadata.ImmutableTags;
import io.regfleet.registry.oci.RepositoryName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The retention and immutable-tag rules of this registry, read once from a JSON file:
 * <pre>{@code
 * {"retention": [{"repositories": "team/**", "tags": "*", "keepNewest": 10, "deleteOlderThan": "30d"}],
 *  "immutable": [{"repositories": "prod/**", "tags": "v*"}]}
 * }</pre>
 * A repository follows the first retention rule whose pattern matches it; a tag any immutable rule matches never
 * moves nor goes (pushes over it and deletes of it are DENIED, retention skips it).
 */
public final class RetentionRules implements ImmutableTags {
    public static final RetentionRules NONE = new RetentionRules(List.of(), List.of());
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final List<RetentionRule> retention;
    private final List<Immutable> immutable;

    /** Tags of the repositories {@code repositories} names that {@code tags} names are immutable. */
    public record Immutable(NameGlob repositories, NameGlob tags) {
    }

    public RetentionRules(List<RetentionRule> retention, List<Immutable> immutable) {
        this.retention = List.copyOf(retention);
        this.immutable = List.copyOf(immutable);
    }

    /** The rules in {@code file}; a file that cannot be read or is not valid says where and why. */
    public static RetentionRules read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the retention rules " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid retention rules in " + file + ": " + e.getMessage(), e);
        }
    }

    static RetentionRules parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the rules must be a JSON object");
        }
        only(root, "document", Set.of("retention", "immutable"));
        List<RetentionRule> retention = new ArrayList<>();
        for (JsonNode rule : array(root, "retention")) {
            only(rule, "retention rule", Set.of("repositories", "tags", "keepNewest", "deleteOlderThan"));
            retention.add(new RetentionRule(pattern(rule, "repositories", null), pattern(rule, "tags", "*"),
                    rule.has("keepNewest") ? OptionalInt.of(integer(rule, "keepNewest")) : OptionalInt.empty(),
                    rule.has("deleteOlderThan") ? Optional.of(duration(rule, "deleteOlderThan")) : Optional.empty()));
        }
        List<Immutable> immutable = new ArrayList<>();
        for (JsonNode rule : array(root, "immutable")) {
            only(rule, "immutable rule", Set.of("repositories", "tags"));
            immutable.add(new Immutable(pattern(rule, "repositories", null), pattern(rule, "tags", null)));
        }
        return new RetentionRules(retention, immutable);
    }

    /** The retention rule the repository follows: the first whose pattern matches it. */
    public Optional<RetentionRule> ruleFor(RepositoryName repository) {
        return retention.stream().filter(rule -> rule.repositories().matches(repository.value())).findFirst();
    }

    public boolean hasRetention() {
        return !retention.isEmpty();
    }

    @Override
    public boolean test(RepositoryName repository, String tag) {
        return immutable.stream().anyMatch(rule -> rule.repositories().matches(repository.value())
                && rule.tags().matches(tag));
    }

    private static Iterable<JsonNode> array(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("'" + field + "' must be an array");
        }
        for (JsonNode rule : node) {
            if (!rule.isObject()) {
                throw new IllegalArgumentException("each entry of '" + field + "' must be an object");
            }
        }
        return node;
    }

    private static void only(JsonNode node, String what, Set<String> fields) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "' in a " + what + " (known: " + fields + ")");
            }
        }
    }

    private static NameGlob pattern(JsonNode rule, String field, String otherwise) {
        JsonNode value = rule.get(field);
        if (value == null && otherwise != null) {
            return NameGlob.of(otherwise);
        }
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new IllegalArgumentException("'" + field + "' must be a non-empty pattern");
        }
        return NameGlob.of(value.textValue());
    }

    private static int integer(JsonNode rule, String field) {
        JsonNode value = rule.get(field);
        if (!value.isInt() || value.intValue() < 0) {
            throw new IllegalArgumentException("'" + field + "' must be a non-negative integer");
        }
        return value.intValue();
    }

    private static Duration duration(JsonNode rule, String field) {
        JsonNode value = rule.get(field);
        try {
            Duration duration = DurationConverter.parseDuration(value.asText());
            if (!value.isTextual() || duration == null || duration.isNegative()) {
                throw new IllegalArgumentException();
            }
            return duration;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + field + "' must be a duration such as \"30d\" or \"12h\"");
        }
    }
}
