package io.regfleet.registry.auth;

import io.regfleet.registry.oci.NameGlob;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may do what: repository patterns and the actions they allow, for nobody (pull only), for every signed-in caller,
 * per user or robot account, and per OIDC group. A caller's rights are the union of every rule that applies to it.
 */
public record AccessRules(List<NameGlob> anonymousPull, List<Rule> authenticated,
                          Map<String, List<Rule>> users, Map<String, List<Rule>> groups) {

    public record Rule(NameGlob pattern, Set<Action> actions) {
        public Rule {
            actions = actions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(actions));
        }
    }

    /** Without a rules file: every user may do everything, nobody without credentials anything. */
    public static final AccessRules EVERY_USER_EVERYTHING = new AccessRules(List.of(),
            List.of(new Rule(NameGlob.of("**"), EnumSet.allOf(Action.class))), Map.of(), Map.of());

    public AccessRules {
        anonymousPull = List.copyOf(anonymousPull);
        authenticated = List.copyOf(authenticated);
        users = Map.copyOf(users);
        groups = Map.copyOf(groups);
    }

    /** What the caller may do to the repository. */
    public Set<Action> allowed(Principal caller, String repository) {
        EnumSet<Action> allowed = EnumSet.noneOf(Action.class);
        if (caller.isAnonymous()) {
            if (anonymousPull.stream().anyMatch(p -> p.matches(repository))) {
                allowed.add(Action.PULL);
            }
            return allowed;
        }
        collect(authenticated, repository, allowed);
        if (caller.kind() == Principal.Kind.USER) {
            collect(users.getOrDefault(caller.name(), List.of()), repository, allowed);
        }
        for (String group : caller.groups()) {
            collect(groups.getOrDefault(group, List.of()), repository, allowed);
        }
        return allowed;
    }

    /** Whether the caller has every action of {@code access}; the catalog is open to whoever may pull anything. */
    public boolean allows(Principal caller, Access access) {
        if (access.isCatalog()) {
            return !caller.isAnonymous() || !anonymousPull.isEmpty();
        }
        return access.isRepository() && allowed(caller, access.name()).containsAll(access.repositoryActions());
    }

    private static void collect(List<Rule> rules, String repository, Set<Action> into) {
        for (Rule rule : rules) {
            if (rule.pattern().matches(repository)) {
                into.addAll(rule.actions());
            }
        }
    }
}
