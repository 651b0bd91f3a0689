package io.regfleet.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped alerts and dashboard as the operator makes them per Registry: every alert scoped, with a runbook section
 * that exists, every condition it reads one the operator sets; one dashboard uid per Registry.
 */
class MonitoringObjectsTest {
    private static final Path RUNBOOKS = Path.of("").toAbsolutePath().getParent().resolve("docs/runbooks.md");
    private static final Pattern CONDITION = Pattern.compile("regfleet_operator_condition\\{([^}]*)}");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private static List<Rule> rules() {
        return MonitoringObjects.alerts(SampleRegistries.onS3("team", "images")).getSpec().getGroups().getFirst().getRules();
    }

    @Test
    void everyAlertIsScopedToItsRegistryAndHasARunbookSection() throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : Files.readAllLines(RUNBOOKS)) {
            if (line.startsWith("## ")) {
                anchors.add(line.substring(3).strip().toLowerCase(Locale.ROOT));
            }
        }
        for (Rule rule : rules()) {
            String expr = rule.getExpr().getStrVal();
            assertTrue(expr.contains("namespace=\"team\", registry=\"images\""), rule.getAlert());
            assertTrue(!expr.contains(MonitoringObjects.ANY_REGISTRY), rule.getAlert() + " reads every Registry");
            String url = rule.getAnnotations().get("runbook_url");
            assertTrue(anchors.contains(url.substring(url.indexOf('#') + 1)), rule.getAlert() + ": no section for " + url);
            assertTrue(rule.getLabels().containsKey("severity"), rule.getAlert());
        }
    }

    @Test
    void theConditionsTheAlertsReadAreOnesTheOperatorSets() throws IllegalAccessException {
        Set<String> known = new HashSet<>();
        for (Class<?> constants : List.of(RegistryConditions.class, RegistryConditions.Reasons.class)) {
            for (Field f : constants.getFields()) {
                known.add((String) f.get(null));
            }
        }
        int read = 0;
        for (Rule rule : rules()) {
            Matcher selector = CONDITION.matcher(rule.getExpr().getStrVal());
            while (selector.find()) {
                Matcher label = LABEL.matcher(selector.group(1));
                while (label.find()) {
                    if (Set.of("condition", "status", "reason").contains(label.group(1))) {
                        assertTrue(known.contains(label.group(2)), rule.getAlert() + ": " + label.group(2) + " is no condition, status or reason");
                        read++;
                    }
                }
            }
        }
        assertTrue(read >= 5, "the migration and database alerts read conditions: " + read);
    }

    @Test
    void eachRegistryGetsItsOwnDashboard() throws IOException {
        JsonNode a = dashboard("team", "images");
        JsonNode b = dashboard("team", "images-2");
        assertNotEquals(a.get("uid").asText(), b.get("uid").asText());
        assertTrue(a.get("uid").asText().length() <= 40, "Grafana's uid limit");
        assertEquals("Regfleet team/images", a.get("title").asText());
        for (JsonNode variable : a.at("/templating/list")) {
            switch (variable.get("name").asText()) {
                case "namespace" -> assertEquals("team", variable.at("/current/value").asText());
                case "registry" -> assertEquals("images", variable.at("/current/value").asText());
                default -> { }
            }
        }
    }

    private static JsonNode dashboard(String namespace, String name) throws IOException {
        var map = MonitoringObjects.dashboard(SampleRegistries.onS3(namespace, name));
        assertEquals("1", map.getMetadata().getLabels().get(MonitoringObjects.DASHBOARD_LABEL));
        return new ObjectMapper().readTree(map.getData().get("regfleet-" + namespace + "-" + name + ".json"));
    }
}
