package io.regfleet.operator;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The operator's seams: names and the plan are shared ground; the dependents (desired state), the reconciler (what to
 * do now) and the rebalancer (pool sizes while pods run) do not reach into one another.
 */
class OperatorSeamsTest {
    private static final JavaClasses OPERATOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.regfleet.operator");

    @Test
    void theRebalancerReachesNeitherTheDependentsNorTheReconciler() {
        noClasses().that().resideInAPackage("..operator.rebalance..")
                .should().dependOnClassesThat().resideInAnyPackage("..operator.dependent..", "..operator.reconciler..")
                .check(OPERATOR);
    }

    @Test
    void theDependentsReachNeitherTheReconcilerNorTheRebalancer() {
        noClasses().that().resideInAPackage("..operator.dependent..")
                .should().dependOnClassesThat().resideInAnyPackage("..operator.reconciler..", "..operator.rebalance..")
                .check(OPERATOR);
    }

    @Test
    void namesAndThePlanDependOnNoneOfThem() {
        noClasses().that().resideInAnyPackage("..operator.naming..", "..operator.plan..")
                .should().dependOnClassesThat().resideInAnyPackage("..operator.dependent..", "..operator.reconciler..",
                        "..operator.rebalance..")
                .check(OPERATOR);
    }
}
