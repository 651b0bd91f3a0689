package io.regfleet.fleet.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.control.rebalance.RebalanceReport;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live view of {@code make run REPLICAS=n}, as a browser shows it: a real fleet of two replicas, rebalanced every
 * second; headless Chromium loads the page, whose script fetches the fleet's JSON and draws the allocation table
 * (a row per replica) and the plot of each replica's pool maximum and open connections over the rounds.
 */
class LiveViewTest {
    private static final int ROUNDS = 3;
    private static final Set<String> REPLICAS = Set.of("replica-1", "replica-2");

    @Test
    void thePageDrawsTheAllocationTableAndTheHistoryOfEveryReplica() throws Exception {
        try (LocalFleet fleet = LocalFleet.start(FleetFixtures.twoOfThreeEverySecond());
             LiveView view = LiveView.start(0, () -> List.of(fleet))) {
            FleetFixtures.await(fleet, r -> fleet.reports().stream().filter(LiveViewTest::seesBoth).count() >= ROUNDS);

            JsonNode data = new ObjectMapper().readTree(get(view.url().resolve(LiveView.DATA_PATH.substring(1))));
            JsonNode shown = data.get("fleets").get(0);
            assertEquals(fleet.registry(), shown.get("registry").asText());
            assertTrue(shown.get("history").size() >= ROUNDS, "the history holds every round so far: " + shown);
            assertEquals(REPLICAS, names(shown.get("table").get("pods")));

            String dom = HeadlessChromium.dumpDom(view.url());
            assertTrue(dom.contains("<p id=\"status\">updated "), "the page drew what it fetched: " + dom);
            assertEquals(REPLICAS, matches(dom, "<tr class=\"pod\" data-pod=\"([^\"]+)\""), "a table row per replica");
            for (String replica : REPLICAS) {
                for (String series : List.of("poolMax", "open")) {
                    assertTrue(dom.contains("<polyline class=\"series\" data-pod=\"" + replica + "\" data-series=\"" + series + "\""),
                            "a line of " + series + " for " + replica + ": " + dom);
                    long points = Pattern.compile("<circle class=\"point\" data-pod=\"" + replica + "\" data-series=\"" + series + "\"")
                            .matcher(dom).results().count();
                    assertTrue(points >= ROUNDS, points + " points of " + series + " for " + replica + ", not one per round");
                }
            }
            assertTrue(dom.contains("committed "), "the table's summary line: " + dom);
        }
    }

    private static boolean seesBoth(RebalanceReport report) {
        return FleetFixtures.names(report).containsAll(REPLICAS);
    }

    private static Set<String> names(JsonNode pods) {
        Set<String> names = new TreeSet<>();
        pods.forEach(p -> names.add(p.get("name").asText()));
        return names;
    }

    private static Set<String> matches(String text, String regex) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String get(URI uri) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> reply = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reply.statusCode(), reply.body());
            return reply.body();
        }
    }
}
