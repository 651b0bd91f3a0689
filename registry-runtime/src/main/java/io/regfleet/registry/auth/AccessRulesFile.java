package io.regfleet.registry.auth;

import io.regfleet.registry.oci.NameGlob;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules file (YAML; JSON is YAML too). Unknown keys and unknown actions are errors, so a typo cannot silently
 * grant or withhold access:
 * <pre>
 * anonymous: ["public/**"]                 # pull without credentials
 * authenticated: {"library/**": [pull]}    # every user, robot and OIDC caller
 * users:                                   # names of the users file
 *   admin: {"**": ["*"]}
 *   ci-robot: {"team/*": [pull, push]}
 * groups:                                  # values of the OIDC groups claim
 *   platform: {"**": [pull, push, delete]}
 * </pre>
 */
final class AccessRulesFile {
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

    private record Document(List<String> anonymous, Map<String, List<String>> authenticated,
                            Map<String, Map<String, List<String>>> users, Map<String, Map<String, List<String>>> groups) {
    }

    private AccessRulesFile() {
    }

    static AccessRules parse(byte[] content) throws IOException {
        Document document = YAML.readValue(content, Document.class);
        if (document == null) {
            throw new IllegalArgumentException("the rules file is empty");
        }
        List<NameGlob> anonymous = new ArrayList<>();
        for (String glob : orEmpty(document.anonymous())) {
            anonymous.add(NameGlob.of(glob));
        }
        return new AccessRules(anonymous, rules(document.authenticated()), byName(document.users()), byName(document.groups()));
    }

    private static Map<String, List<AccessRules.Rule>> byName(Map<String, Map<String, List<String>>> sections) {
        Map<String, List<AccessRules.Rule>> byName = new LinkedHashMap<>();
        if (sections != null) {
            sections.forEach((name, rules) -> byName.put(name, rules(rules)));
        }
        return byName;
    }

    private static List<AccessRules.Rule> rules(Map<String, List<String>> patterns) {
        List<AccessRules.Rule> rules = new ArrayList<>();
        if (patterns != null) {
            patterns.forEach((glob, actions) -> rules.add(new AccessRules.Rule(NameGlob.of(glob), actions(glob, actions))));
        }
        return rules;
    }

    private static Set<Action> actions(String glob, List<String> names) {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (String name : orEmpty(names)) {
            Set<Action> parsed = Action.parse(List.of(name));
            if (parsed.isEmpty()) {
                throw new IllegalArgumentException("unknown action '" + name + "' for " + glob + " (pull, push, delete or *)");
            }
            actions.addAll(parsed);
        }
        return actions;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
