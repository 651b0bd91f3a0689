package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.regfleet.registry.PostgresTestResource;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.regfleet.registry.api.Tokens.as;
import static io.regfleet.registry.api.Tokens.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Who may do what: users, a robot, nobody, OIDC callers; checks on every endpoint; the filtered catalog. */
@QuarkusTest
@TestProfile(AuthFixture.On.class)
@QuarkusTestResource(PostgresTestResource.class)
class AccessRulesApiTest extends ApiTestBase {
    private static final String ALL = "pull,push,delete";

    private static String admin(String repo) {
        return Tokens.of("admin", "admin-pw", "repository:" + repo + ":" + ALL, "registry:catalog:*");
    }

    private static String unique(String prefix) {
        return prefix + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String pushAs(String token, String repo) {
        return as(token, () -> Oci.pushImage(repo, "v1"));
    }

    @Test
    void aPullOnlyUserCanPullButPushingIsDenied() {
        String repo = unique("team");
        String digest = pushAs(admin(repo), repo);
        String reader = Tokens.of("reader", "reader-pw", "repository:" + repo + ":pull,push");
        given().header("Authorization", bearer(reader)).get("/v2/{r}/manifests/v1", repo).then().statusCode(200)
                .header("Docker-Content-Digest", digest);
        given().header("Authorization", bearer(reader)).get("/v2/{r}/tags/list", repo).then().statusCode(200);
        given().header("Authorization", bearer(reader)).get("/v2/{r}/referrers/{d}", repo, digest).then().statusCode(200);
        Response push = given().header("Authorization", bearer(reader)).post("/v2/{r}/blobs/uploads/", repo);
        push.then().statusCode(403).body("errors[0].code", equalTo("DENIED"));
        assertEquals(String.valueOf(push.asByteArray().length), push.getHeader("Content-Length"));
        given().header("Authorization", bearer(reader)).delete("/v2/{r}/manifests/{d}", repo, digest).then().statusCode(403);
        given().header("Authorization", bearer(reader)).body("{}").put("/v2/{r}/manifests/v2", repo).then().statusCode(403);
    }

    @Test
    void aTokenWithoutARightItsHolderHasIsChallengedForIt() {
        String repo = unique("team");
        String pullOnly = Tokens.of("admin", "admin-pw", "repository:" + repo + ":pull");
        given().header("Authorization", bearer(pullOnly)).post("/v2/{r}/blobs/uploads/", repo).then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.endsWith(
                        "scope=\"repository:" + repo + ":pull,push\",error=\"insufficient_scope\""));
    }

    @Test
    void aRobotLimitedToTeamCannotTouchOtherRepositories() {
        String team = unique("team");
        String robot = Tokens.of("ci-robot", "robot-pw", "repository:" + team + ":" + ALL);
        String digest = pushAs(robot, team);
        given().header("Authorization", bearer(robot)).delete("/v2/{r}/manifests/{d}", team, digest).then().statusCode(202);

        String other = unique("other");
        pushAs(admin(other), other);
        String robotOnOther = Tokens.of("ci-robot", "robot-pw", "repository:" + other + ":" + ALL);
        given().header("Authorization", bearer(robotOnOther)).get("/v2/{r}/manifests/v1", other).then().statusCode(403)
                .body("errors[0].code", equalTo("DENIED"));
        given().header("Authorization", bearer(robotOnOther)).post("/v2/{r}/blobs/uploads/", other).then().statusCode(403);
        given().header("Authorization", bearer(robotOnOther)).delete("/v2/{r}/manifests/v1", other).then().statusCode(403);
        String nested = team + "/deeper"; // team/* is one level
        String robotNested = Tokens.of("ci-robot", "robot-pw", "repository:" + nested + ":pull,push");
        given().header("Authorization", bearer(robotNested)).post("/v2/{r}/blobs/uploads/", nested).then().statusCode(403);
    }

    @Test
    void anonymousPullWhereTheRulesAllowIt() {
        String repo = unique("public");
        String digest = pushAs(admin(repo), repo);
        given().get("/v2/{r}/manifests/v1", repo).then().statusCode(200).header("Docker-Content-Digest", digest);
        String anonymous = Tokens.anonymous("repository:" + repo + ":pull");
        given().header("Authorization", bearer(anonymous)).get("/v2/{r}/manifests/v1", repo).then().statusCode(200);
        given().header("Authorization", bearer(anonymous)).get("/v2/").then().statusCode(200);
        given().post("/v2/{r}/blobs/uploads/", repo).then().statusCode(401);
        given().header("Authorization", bearer(anonymous)).post("/v2/{r}/blobs/uploads/", repo).then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.endsWith("error=\"insufficient_scope\""));
        String team = unique("team");
        given().get("/v2/{r}/manifests/v1", team).then().statusCode(401);
    }

    @Test
    void theCatalogListsOnlyWhatTheCallerMayPullAndPagesOverHiddenNames() {
        String prefix = "cat" + UUID.randomUUID().toString().substring(0, 6);
        List<String> team = List.of("team/" + prefix + "-a", "team/" + prefix + "-c", "team/" + prefix + "-e");
        List<String> hidden = List.of("other/" + prefix + "-b", "team/" + prefix + "-d/x", "zz/" + prefix);
        String pub = "public/" + prefix;
        for (String repo : concat(team, hidden, List.of(pub))) {
            as(admin(repo), () -> Oci.pushBlob(repo, Oci.random(8)));
        }
        String robot = Tokens.of("ci-robot", "robot-pw", "registry:catalog:*");
        List<String> robotSees = walkCatalog(robot, 1);
        assertEquals(team, robotSees.stream().filter(r -> r.contains(prefix)).toList());
        assertFalse(robotSees.stream().anyMatch(r -> !r.startsWith("team/") || r.substring(5).contains("/")));
        assertEquals(walkCatalog(robot, 1000), robotSees);

        List<String> anonymousSees = walkCatalog(null, 2);
        assertEquals(List.of(pub), anonymousSees.stream().filter(r -> r.contains(prefix)).toList());
        assertFalse(anonymousSees.stream().anyMatch(r -> !r.startsWith("public/")));

        List<String> readerSees = walkCatalog(Tokens.of("reader", "reader-pw", "registry:catalog:*"), 2);
        assertEquals(concat(team, hidden, List.of(pub)).stream().sorted().toList(),
                readerSees.stream().filter(r -> r.contains(prefix)).toList());
        // a token without the catalog scope is challenged for it
        given().header("Authorization", bearer(Tokens.of("reader", "reader-pw"))).get("/v2/_catalog").then().statusCode(401);
    }

    /** Follows Link headers from the first page; every Link names only what the caller may see. */
    private static List<String> walkCatalog(String token, int n) {
        List<String> seen = new ArrayList<>();
        String next = "/v2/_catalog?n=" + n;
        while (next != null) {
            Response page = (token == null ? given() : given().header("Authorization", bearer(token))).get(next);
            page.then().statusCode(200);
            List<String> entries = page.jsonPath().getList("repositories");
            seen.addAll(entries);
            String link = page.header("Link");
            if (link != null) {
                assertEquals(entries.getLast(), java.net.URLDecoder.decode(link.substring(link.indexOf("last=") + 5, link.indexOf('>')),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            next = link == null ? null : link.substring(1, link.indexOf('>'));
        }
        return seen;
    }

    @Test
    void aMountFromARepositoryTheCallerMayNotPullBecomesAPlainUpload() {
        String source = unique("other");
        byte[] blob = Oci.random(64);
        String digest = as(admin(source), () -> Oci.pushBlob(source, blob));
        String target = unique("team");
        String robot = Tokens.of("ci-robot", "robot-pw", "repository:" + target + ":pull,push", "repository:" + source + ":pull");
        given().header("Authorization", bearer(robot)).post("/v2/{t}/blobs/uploads/?mount={d}&from={s}", target, digest, source)
                .then().statusCode(202);

        String teamSource = unique("team");
        as(admin(teamSource), () -> Oci.pushBlob(teamSource, blob));
        String robot2 = Tokens.of("ci-robot", "robot-pw", "repository:" + target + ":pull,push", "repository:" + teamSource + ":pull");
        given().header("Authorization", bearer(robot2)).post("/v2/{t}/blobs/uploads/?mount={d}&from={s}", target, digest, teamSource)
                .then().statusCode(201).header("Docker-Content-Digest", digest);
    }

    @Test
    void oidcTokensAreMappedToTheRulesOfTheirGroups() {
        AuthFixture fixture = AuthFixture.get();
        String repo = unique("oidc");
        String idToken = fixture.oidcToken("dev@example.test", List.of("oidc-devs"), AuthFixture.OIDC_AUDIENCE);
        pushAs(idToken, repo); // the issuer's token as the bearer: the rules of group oidc-devs
        given().header("Authorization", bearer(idToken)).get("/v2/{r}/manifests/v1", repo).then().statusCode(200);
        given().header("Authorization", bearer(idToken)).get("/v2/team/x/manifests/v1").then().statusCode(403);

        // or exchanged at the token endpoint, as docker login --password <token> does
        String exchanged = Tokens.of("oauth2", idToken, "repository:" + repo + ":pull,push,delete");
        given().header("Authorization", bearer(exchanged)).get("/v2/{r}/manifests/v1", repo).then().statusCode(200);
        given().header("Authorization", bearer(exchanged)).delete("/v2/{r}/manifests/v1", repo).then().statusCode(403);

        String otherAudience = fixture.oidcToken("dev@example.test", List.of("oidc-devs"), "someone-else");
        given().header("Authorization", bearer(otherAudience)).get("/v2/{r}/manifests/v1", repo).then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.endsWith("error=\"invalid_token\""));
        given().header("Authorization", Tokens.basic("oauth2", otherAudience)).get("/token").then().statusCode(401);
        String noGroup = fixture.oidcToken("guest@example.test", List.of(), AuthFixture.OIDC_AUDIENCE);
        given().header("Authorization", bearer(noGroup)).get("/v2/{r}/manifests/v1", repo).then().statusCode(403);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
