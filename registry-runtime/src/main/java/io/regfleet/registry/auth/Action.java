package io.regfleet.registry.auth;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What may be done to a repository; {@code *} stands for all of them. */
public enum Action {
    PULL, PUSH, DELETE;

    public static final String ALL = "*";

    /** The name in scopes, rules and the token's {@code access} claim. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The actions named ({@code *} for all); names that are no action are left out. */
    public static Set<Action> parse(Collection<String> names) {
        EnumSet<Action> actions = EnumSet.noneOf(Action.class);
        for (String name : names) {
            if (ALL.equals(name)) {
                return EnumSet.allOf(Action.class);
            }
            for (Action action : values()) {
                if (action.wire().equals(name)) {
                    actions.add(action);
                }
            }
        }
        return actions;
    }
}
