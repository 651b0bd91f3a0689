package io.regfleet.operator.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.api.v1alpha1.AccessAction;
import io.regfleet.operator.api.v1alpha1.AccessGrant;
import io.regfleet.operator.api.v1alpha1.AuthSpec;
import io.regfleet.operator.api.v1alpha1.ImmutableTagsSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RetentionRuleSpec;
import io.regfleet.operator.api.v1alpha1.RetentionSpec;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The spec's rules as the files the runtime reads, held in the rules ConfigMap: spec.auth's grants as the access rules
 * file (YAML: anonymous, authenticated, users, groups), spec.retention as the retention rules file (JSON). Both are
 * rendered the same way every time (sorted), so an unchanged spec never changes the ConfigMap.
 */
public final class RulesFiles {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private RulesFiles() {
    }

    /** The ConfigMap's data: a key per file the spec asks for (none at all is an empty ConfigMap). */
    public static Map<String, String> of(Registry registry) {
        Map<String, String> files = new TreeMap<>();
        accessRules(registry).ifPresent(rules -> files.put(PodContract.ACCESS_RULES_KEY, rules));
        retentionRules(registry).ifPresent(rules -> files.put(PodContract.RETENTION_RULES_KEY, rules));
        return files;
    }

    /**
     * spec.auth's grants, merged per subject and pattern (a caller's rights are their union anyway). Absent when the
     * spec writes no rule: the runtime's default then applies (every user may do everything).
     */
    public static Optional<String> accessRules(Registry registry) {
        AuthSpec auth = registry.getSpec().auth;
        if (auth == null || !auth.hasRules()) {
            return Optional.empty();
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("anonymous", new TreeSet<>(auth.anonymousPull == null ? List.of() : auth.anonymousPull));
        Map<String, Set<AccessAction>> authenticated = new TreeMap<>();
        Map<String, Map<String, Set<AccessAction>>> users = new TreeMap<>();
        Map<String, Map<String, Set<AccessAction>>> groups = new TreeMap<>();
        for (AccessGrant grant : auth.access == null ? List.<AccessGrant>of() : auth.access) {
            if (Boolean.TRUE.equals(grant.authenticated)) {
                grant(authenticated, grant);
            }
            forEach(grant.users, user -> grant(users.computeIfAbsent(user, u -> new TreeMap<>()), grant));
            forEach(grant.groups, group -> grant(groups.computeIfAbsent(group, g -> new TreeMap<>()), grant));
        }
        document.put("authenticated", wire(authenticated));
        document.put("users", byName(users));
        document.put("groups", byName(groups));
        return Optional.of(write(YAML, document));
    }

    /** spec.retention as the runtime's rules file; absent when it names no rule. */
    public static Optional<String> retentionRules(Registry registry) {
        RetentionSpec retention = registry.getSpec().retention;
        if (retention == null || retention.isEmpty()) {
            return Optional.empty();
        }
        List<Map<String, Object>> rules = new ArrayList<>();
        for (RetentionRuleSpec rule : retention.rules == null ? List.<RetentionRuleSpec>of() : retention.rules) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("repositories", rule.repositories);
            putIfSet(r, "tags", rule.tags);
            putIfSet(r, "keepNewest", rule.keepNewest);
            putIfSet(r, "deleteOlderThan", rule.deleteOlderThan);
            rules.add(r);
        }
        List<Map<String, Object>> immutable = new ArrayList<>();
        for (ImmutableTagsSpec tags : retention.immutableTags == null ? List.<ImmutableTagsSpec>of() : retention.immutableTags) {
            immutable.add(Map.of("repositories", tags.repositories, "tags", tags.tags));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("retention", rules);
        document.put("immutable", immutable);
        return Optional.of(write(JSON, document));
    }

    private static void grant(Map<String, Set<AccessAction>> rules, AccessGrant grant) {
        for (String pattern : grant.repositories) {
            rules.computeIfAbsent(pattern, p -> EnumSet.noneOf(AccessAction.class)).addAll(grant.actions);
        }
    }

    /** Actions as the runtime spells them; {@code *} alone when it is among them. */
    private static Map<String, List<String>> wire(Map<String, Set<AccessAction>> rules) {
        Map<String, List<String>> out = new TreeMap<>();
        rules.forEach((pattern, actions) -> out.put(pattern, actions.contains(AccessAction.ALL)
                ? List.of(AccessAction.ALL.value()) : actions.stream().map(AccessAction::value).toList()));
        return out;
    }

    private static Map<String, Map<String, List<String>>> byName(Map<String, Map<String, Set<AccessAction>>> subjects) {
        Map<String, Map<String, List<String>>> out = new TreeMap<>();
        subjects.forEach((name, rules) -> out.put(name, wire(rules)));
        return out;
    }

    private static void forEach(List<String> names, java.util.function.Consumer<String> action) {
        if (names != null) {
            names.forEach(action);
        }
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String write(ObjectMapper mapper, Object document) {
        try {
            return mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the rules file", e);
        }
    }
}
