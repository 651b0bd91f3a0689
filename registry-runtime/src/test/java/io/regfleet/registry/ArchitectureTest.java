package io.regfleet.registry;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The registry runtime's house rules, checked on its compiled classes. Rules name packages only, never classes, so
 * that a package may be reorganised inside without touching them. Plain JUnit tests rather than {@code @ArchTest}
 * fields: Surefire 3.5.3 (the version pinned here) silently runs no {@code @ArchTest} field (SUREFIRE-2298).
 */
class ArchitectureTest {
    private static final String[] JDBC = {"java.sql..", "javax.sql.."};
    private static JavaClasses runtime;

    @BeforeAll
    static void importRuntime() {
        runtime = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.regfleet.registry");
    }

    @Test
    void httpNeverTouchesJdbc() {
        noClasses().that().resideInAPackage("..registry.http..")
                .should().dependOnClassesThat().resideInAnyPackage(JDBC)
                .because("routes talk to services; only the PostgreSQL store speaks SQL")
                .check(runtime);
    }

    @Test
    void servicesSeeOnlyTheStoreInterfaces() {
        noClasses().that().resideInAnyPackage("..registry.service..", "..registry.health..", "..registry.http..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "..registry.metadata.postgres..", "..registry.metadata.memory..", "java.sql..", "javax.sql..")
                .because("services and health checks depend on MetadataStore and UploadSessions, whatever implements them")
                .check(runtime);
    }

    @Test
    void batchToolsSeeOnlyTheStoreInterfaces() {
        noClasses().that().resideInAPackage("..registry.tools..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "..registry.metadata.postgres..", "..registry.metadata.memory..", "..registry.http..")
                .because("verify and import work through the store interfaces and the services, as any request does")
                .check(runtime);
    }

    @Test
    void runtimeNeverImportsTheOperatorNorFleetControl() {
        noClasses().that().resideInAPackage("io.regfleet.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("io.regfleet.operator..", "io.regfleet.control..")
                .because("the operator drives the runtime through the pod agent protocol (fleet-api) only")
                .check(runtime);
    }

    @Test
    void onlyThePostgresStoreAndGovernanceUseJdbc() {
        noClasses().that().resideInAPackage("io.regfleet.registry..")
                .and().resideOutsideOfPackages("..registry.metadata.postgres..", "..registry.governance..")
                .should().dependOnClassesThat().resideInAnyPackage(JDBC)
                .because("SQL lives in the PostgreSQL store; governance owns the connection pool and its driver")
                .check(runtime);
    }

    @Test
    void accessControlNeverCostsADatabaseConnection() {
        noClasses().that().resideInAnyPackage("..registry.auth..", "..registry.tls..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "java.sql..", "javax.sql..", "..registry.metadata..", "..registry.service..", "..registry.blob..",
                        "..registry.governance..", "..registry.http..")
                .because("tokens are verified from files and memory before any database work; HTTP uses auth, not the reverse")
                .check(runtime);
    }

    @Test
    void theRequestPathHasNoClientProxies() {
        noClasses().that().resideInAPackage("..registry.http..")
                .should().beAnnotatedWith("jakarta.enterprise.context.ApplicationScoped")
                .orShould().beAnnotatedWith("jakarta.enterprise.context.RequestScoped")
                .because("the event loop calls these beans on every request, and ArC's client proxy looks the bean up on"
                        + " every call; they are @Singleton")
                .check(runtime);
    }
}
