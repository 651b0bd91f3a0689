package io.regfleet.registry.auth;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One resource and the actions on it, as the token protocol writes it: {@code repository:team/app:pull,push} in a
 * scope, {@code {"type":"repository","name":"team/app","actions":["pull","push"]}} in a token's {@code access} claim.
 * The catalog is {@code registry:catalog:*}.
 */
public record Access(String type, String name, Set<String> actions) {
    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";
    public static final Access CATALOG = new Access(REGISTRY, "catalog", Set.of(Action.ALL));

    public Access {
        actions = Set.copyOf(actions);
    }

    public static Access repository(String name, Action... actions) {
        return new Access(REPOSITORY, name, Set.copyOf(wire(List.of(actions))));
    }

    public boolean isRepository() {
        return REPOSITORY.equals(type);
    }

    public boolean isCatalog() {
        return CATALOG.type.equals(type) && CATALOG.name.equals(name);
    }

    /** The repository actions named, {@code *} expanded. */
    public Set<Action> repositoryActions() {
        return Action.parse(actions);
    }

    /**
     * Scopes as clients send them: one or more per {@code scope} parameter, separated by spaces. The type may carry a
     * class in brackets ({@code repository(plugin)}), which is dropped; entries that are not {@code type:name:actions}
     * are ignored, as distribution's token servers do.
     */
    public static List<Access> parseScopes(Collection<String> parameters) {
        return parameters.stream().flatMap(p -> List.of(p.trim().split(" +")).stream())
                .map(Access::parseScope).filter(a -> a != null).toList();
    }

    private static Access parseScope(String scope) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first <= 0 || last == first || last == scope.length() - 1) {
            return null;
        }
        String type = scope.substring(0, first);
        int bracket = type.indexOf('(');
        if (bracket > 0) {
            type = type.substring(0, bracket);
        }
        Set<String> actions = new LinkedHashSet<>(List.of(scope.substring(last + 1).split(",")));
        actions.remove("");
        return new Access(type, scope.substring(first + 1, last), actions);
    }

    /** {@code type:name:actions}, actions in a stable order ({@code pull,push,delete}). */
    public String scope() {
        return type + ":" + name + ":" + String.join(",", orderedActions());
    }

    /** The actions in a stable order: repository actions as pull, push, delete; others as given. */
    public List<String> orderedActions() {
        if (!isRepository()) {
            return actions.stream().sorted().toList();
        }
        return wire(repositoryActions());
    }

    /** Actions by their wire names, in declaration order (pull, push, delete). */
    static List<String> wire(Collection<Action> actions) {
        EnumSet<Action> ordered = EnumSet.noneOf(Action.class);
        ordered.addAll(actions);
        return ordered.stream().map(Action::wire).toList();
    }
}
