package io.regfleet.registry.auth;

import io.regfleet.registry.oci.NameGlob;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules file, its globs, and how a caller's rights add up. */
class AccessRulesTest {
    private static final AccessRules RULES = parse("""
            anonymous: ["public/**", "mirror/*"]
            authenticated: {"library/**": [pull]}
            users:
              ci: {"team/*": [pull, push], "team/*/cache": [delete]}
              admin: {"**": ["*"]}
            groups:
              devs: {"dev/**": [pull, push]}
            """);

    private static AccessRules parse(String yaml) {
        try {
            return AccessRulesFile.parse(yaml.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Test
    void aSingleStarStaysInOnePathComponentADoubleStarCrossesThem() {
        NameGlob team = NameGlob.of("team/*");
        assertTrue(team.matches("team/app"));
        assertFalse(team.matches("team/app/web"));
        assertFalse(team.matches("team"));
        assertFalse(team.matches("teams/app"));
        NameGlob deep = NameGlob.of("team/**");
        assertTrue(deep.matches("team/app/web"));
        assertFalse(deep.matches("other/team/app"));
        assertTrue(NameGlob.of("**").matches("a/b/c"));
        assertTrue(NameGlob.of("*").matches("app"));
        assertFalse(NameGlob.of("*").matches("a/b"));
        assertTrue(NameGlob.of("a.b/c+d").matches("a.b/c+d")); // no regular-expression meaning leaks in
        assertFalse(NameGlob.of("a.b").matches("axb"));
    }

    @Test
    void rightsAreTheUnionOfEveryRuleThatApplies() {
        Principal ci = Principal.user("ci");
        assertEquals(EnumSet.of(Action.PULL, Action.PUSH), RULES.allowed(ci, "team/app"));
        assertEquals(EnumSet.of(Action.DELETE), RULES.allowed(ci, "team/app/cache"));
        assertEquals(EnumSet.of(Action.PULL), RULES.allowed(ci, "library/base"));
        assertEquals(Set.of(), RULES.allowed(ci, "other/app"));
        assertEquals(EnumSet.allOf(Action.class), RULES.allowed(Principal.user("admin"), "any/thing"));
        assertEquals(EnumSet.of(Action.PULL), RULES.allowed(Principal.user("someone"), "library/x"));
    }

    @Test
    void nobodyMayOnlyPullWhatTheAnonymousPatternsName() {
        assertEquals(EnumSet.of(Action.PULL), RULES.allowed(Principal.ANONYMOUS, "public/a/b"));
        assertEquals(EnumSet.of(Action.PULL), RULES.allowed(Principal.ANONYMOUS, "mirror/x"));
        assertEquals(Set.of(), RULES.allowed(Principal.ANONYMOUS, "mirror/x/y"));
        assertEquals(Set.of(), RULES.allowed(Principal.ANONYMOUS, "library/x")); // "authenticated" is not nobody
        assertTrue(RULES.allows(Principal.ANONYMOUS, Access.CATALOG));
        assertFalse(AccessRules.EVERY_USER_EVERYTHING.allows(Principal.ANONYMOUS, Access.CATALOG));
    }

    @Test
    void oidcCallersGetTheirGroupsRulesNeverAUsersOfTheSameName() {
        Principal admin = Principal.oidc("admin", Set.of("devs"));
        assertEquals(EnumSet.of(Action.PULL, Action.PUSH), RULES.allowed(admin, "dev/x"));
        assertEquals(Set.of(), RULES.allowed(admin, "prod/x"));
        assertEquals(admin, Principal.ofSubject(admin.subject(), Set.of("devs")));
        assertEquals(Principal.user("admin"), Principal.ofSubject("admin", Set.of()));
    }

    @Test
    void typosAreRefusedNotIgnored() {
        assertThrows(IllegalArgumentException.class, () -> parse("users: {ci: {\"team/*\": [pusj]}}"));
        assertThrows(IllegalArgumentException.class, () -> parse("user: {ci: {\"team/*\": [push]}}"));
        assertThrows(IllegalArgumentException.class, () -> parse(""));
        assertThrows(IllegalArgumentException.class, () -> parse("anonymous: [\"\"]"));
    }

    @Test
    void scopesAreReadAsClientsWriteThem() {
        assertEquals(List.of(new Access("repository", "team/app", Set.of("pull", "push")), Access.CATALOG,
                        new Access("repository", "plugin/x", Set.of("pull"))),
                Access.parseScopes(List.of("repository:team/app:pull,push registry:catalog:*", "repository(plugin):plugin/x:pull",
                        "nonsense", "repository:team/app:", "")));
        assertEquals("repository:a:pull,push,delete", new Access("repository", "a", Set.of("*")).scope());
        assertEquals("repository:a:pull,delete", new Access("repository", "a", Set.of("delete", "pull")).scope());
    }
}
