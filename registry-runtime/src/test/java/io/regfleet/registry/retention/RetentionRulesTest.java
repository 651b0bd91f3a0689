package io.regfleet.registry.retention;

import io.regfleet.registry.oci.NameGlob;
import io.regfleet.registry.metadata.TagRecord;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention and immutable-tag rules: the file's grammar, the patterns and which tags a rule lets go. */
class RetentionRulesTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Digest MANIFEST = Digest.sha256Of(new byte[] {1});

    @Test
    void patternsMatchWithinAndAcrossPathSegments() {
        NameGlob team = NameGlob.of("team/*");
        assertTrue(team.matches("team/app"));
        assertFalse(team.matches("team/app/sub"), "* stays within a segment");
        assertFalse(team.matches("teams/app"));
        assertTrue(NameGlob.of("team/**").matches("team/app/sub"));
        assertTrue(NameGlob.of("**").matches("any/thing"));
        assertTrue(NameGlob.of("v?.*").matches("v1.2"));
        assertFalse(NameGlob.of("v?.*").matches("v12"), "a dot is a dot, not any character");
        assertTrue(NameGlob.of("release-[1]").matches("release-[1]"), "regex characters match themselves");
    }

    @Test
    void readsAFileAndAppliesTheFirstMatchingRuleAndEveryImmutableRule() throws Exception {
        Path file = Files.createTempFile("rules", ".json");
        Files.writeString(file, """
                {"retention": [
                   {"repositories": "team/app", "keepNewest": 1},
                   {"repositories": "team/**", "tags": "pr-*", "keepNewest": 5, "deleteOlderThan": "30d"}],
                 "immutable": [{"repositories": "prod/**", "tags": "v*"}, {"repositories": "**", "tags": "stable"}]}""");

        RetentionRules rules = RetentionRules.read(file);

        assertEquals(OptionalInt.of(1), rules.ruleFor(new RepositoryName("team/app")).orElseThrow().keepNewest());
        RetentionRule other = rules.ruleFor(new RepositoryName("team/other")).orElseThrow();
        assertEquals(Optional.of(Duration.ofDays(30)), other.deleteOlderThan());
        assertEquals("pr-*", other.tags().glob());
        assertEquals(Optional.empty(), rules.ruleFor(new RepositoryName("elsewhere")));
        assertTrue(rules.test(new RepositoryName("prod/api"), "v1.0"));
        assertFalse(rules.test(new RepositoryName("prod/api"), "latest"));
        assertTrue(rules.test(new RepositoryName("dev/api"), "stable"));
        assertFalse(RetentionRules.NONE.test(new RepositoryName("prod/api"), "v1.0"));
        assertFalse(RetentionRules.NONE.hasRetention());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[]", "{\"retention\": {}}", "{\"retention\": [1]}", "{\"retentions\": []}",
            "{\"retention\": [{\"repositories\": \"a\"}]}",
            "{\"retention\": [{\"repositories\": \"a\", \"keepNewest\": -1}]}",
            "{\"retention\": [{\"repositories\": \"a\", \"keepNewest\": \"3\"}]}",
            "{\"retention\": [{\"repositories\": \"a\", \"deleteOlderThan\": \"soon\"}]}",
            "{\"retention\": [{\"repositories\": \"\", \"keepNewest\": 1}]}",
            "{\"retention\": [{\"keepNewest\": 1}]}",
            "{\"retention\": [{\"repositories\": \"a\", \"keepNewest\": 1, \"keepOldest\": 1}]}",
            "{\"immutable\": [{\"repositories\": \"a\"}]}",
            "{\"immutable\": []} trailing", "not json"})
    void refusesRulesItCannotApplyExactly(String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RetentionRules.parse(json));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void keepNewestKeepsTheMostRecentlyPushedOfTheMatchingTags() {
        RetentionRule rule = rule("*", OptionalInt.of(2), Optional.empty());
        List<TagRecord> tags = tags("d", "c", "pr-9", "b", "a");

        assertEquals(List.of("pr-9", "b", "a"), names(rule.expired(tags, NOW, tag -> false)));
        assertEquals(List.of("pr-9", "a"), names(rule.expired(tags, NOW, "b"::equals)), "immutable tags never expire");
        assertEquals(List.of("pr-9"), names(rule("pr-*", OptionalInt.of(0), Optional.empty()).expired(tags, NOW,
                tag -> false)), "tags the rule does not name are left alone");
    }

    @Test
    void deleteOlderThanAloneOrWithKeepNewestWhereBothMustAgree() {
        List<TagRecord> tags = tags("e", "d", "c", "b", "a"); // pushed 0, 1, 2, 3, 4 days ago
        RetentionRule olderThanTwoDays = rule("*", OptionalInt.empty(), Optional.of(Duration.ofDays(2)));
        assertEquals(List.of("c", "b", "a"), names(olderThanTwoDays.expired(tags, NOW, tag -> false)));

        RetentionRule both = rule("*", OptionalInt.of(4), Optional.of(Duration.ofDays(2)));
        assertEquals(List.of("a"), names(both.expired(tags, NOW, tag -> false)), "beyond the newest four and old");
        RetentionRule fewButYoung = rule("*", OptionalInt.of(1), Optional.of(Duration.ofDays(10)));
        assertEquals(List.of(), fewButYoung.expired(tags, NOW, tag -> false), "young tags stay however many");
    }

    private static RetentionRule rule(String tags, OptionalInt keepNewest, Optional<Duration> olderThan) {
        return new RetentionRule(NameGlob.of("**"), NameGlob.of(tags), keepNewest, olderThan);
    }

    /** Tags newest first, one day apart. */
    private static List<TagRecord> tags(String... newestFirst) {
        List<TagRecord> tags = new ArrayList<>();
        for (int i = 0; i < newestFirst.length; i++) {
            tags.add(new TagRecord(newestFirst[i], MANIFEST, NOW.minus(Duration.ofDays(i))));
        }
        return tags;
    }

    private static List<String> names(List<TagRecord> tags) {
        return tags.stream().map(TagRecord::name).toList();
    }
}
