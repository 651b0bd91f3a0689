package io.regfleet.control;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule of fleet-control: the policy (budget, plan, rebalance, share) is plain Java, so the operator, the local fleet
 * and the tests run the same decisions. Reaching the database, a pod or the cluster is for the adapters (probe,
 * agent, the operator's discovery).
 */
class PolicyIsPureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.regfleet.control");

    static ArchRule touchesNoAdapter(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "java.sql..", "javax.sql..",
                        "org.postgresql..", "java.net.http..", "io.vertx..")
                .because("the policy decides; Kubernetes, JDBC and HTTP belong to the adapters");
    }

    @Test
    void thePolicyImportsNeitherKubernetesJdbcNorHttp() {
        touchesNoAdapter("io.regfleet.control.budget..", "io.regfleet.control.plan..", "io.regfleet.control.rebalance..",
                "io.regfleet.control.share..")
                .check(MAIN);
    }

    @Test
    void theRuleCatchesTheAdapters() {
        assertTrue(touchesNoAdapter("io.regfleet.control.probe..").evaluate(MAIN).hasViolation(), "the JDBC probe");
        assertTrue(touchesNoAdapter("io.regfleet.control.agent..").evaluate(MAIN).hasViolation(), "the HTTP agent client");
    }
}
