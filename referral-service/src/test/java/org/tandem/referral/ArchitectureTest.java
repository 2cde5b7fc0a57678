package org.tandem.referral;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.tandem.testing.ArchitectureRules;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * referral-service's layers and the direction of their dependencies (docs/architecture.md). No rule allows an
 * empty "should", and every package of the service belongs to a layer, so a renamed or new package fails here
 * instead of passing unchecked.
 */
@AnalyzeClasses(packages = ArchitectureTest.BASE, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String BASE = "org.tandem.referral";

    @ArchTest
    static final ArchRule domain_is_framework_free = ArchitectureRules.domainIsFrameworkFree("referral");

    @ArchTest
    static final ArchRule resources_are_rate_limited = ArchitectureRules.resourcesAreRateLimited("referral");

    @ArchTest
    static final ArchRule rest_does_not_use_hibernate = ArchitectureRules.restDoesNotUseHibernate("referral");

    /**
     * rest → service → application → domain; the service reads and writes through persistence (directly or through
     * mapping) and uses config, client and statistics. Nothing below rest knows rest, and no entity reaches rest.
     */
    @ArchTest
    static final ArchRule layers_point_one_way = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Rest")
            .definedBy(BASE + ".rest..")
            .layer("Service")
            .definedBy(BASE + ".service..")
            .layer("Application")
            .definedBy(BASE + ".application..")
            .layer("Mapping")
            .definedBy(BASE + ".mapping..")
            .layer("Domain")
            .definedBy(BASE + ".domain..")
            .layer("Persistence")
            .definedBy(BASE + ".persistence..")
            .layer("Messaging")
            .definedBy(BASE + ".messaging..")
            .layer("Statistics")
            .definedBy(BASE + ".statistics..")
            .layer("Config")
            .definedBy(BASE + ".config..")
            .layer("Client")
            .definedBy(BASE + ".client..")
            // the retention job, its report and the hub-key rotation (docs/retention.md): an entry point like messaging
            .layer("Retention")
            .definedBy(BASE + ".retention..")
            // the entry point of the service's commands (rewrap-hub-keys), beside the server
            .layer("Main")
            .definedBy(BASE)
            .whereLayer("Retention")
            .mayOnlyBeAccessedByLayers("Main")
            .whereLayer("Main")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Rest")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Rest")
            .mayOnlyAccessLayers("Service", "Application", "Domain", "Statistics")
            .whereLayer("Messaging")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Messaging")
            .mayOnlyAccessLayers("Persistence", "Domain")
            .whereLayer("Service")
            .mayOnlyBeAccessedByLayers("Rest", "Retention")
            .whereLayer("Application")
            .mayOnlyBeAccessedByLayers("Rest", "Service", "Mapping", "Retention")
            .whereLayer("Application")
            .mayOnlyAccessLayers("Domain")
            .whereLayer("Mapping")
            .mayOnlyBeAccessedByLayers("Service", "Retention")
            .whereLayer("Mapping")
            .mayOnlyAccessLayers("Application", "Domain", "Persistence")
            .whereLayer("Persistence")
            .mayOnlyBeAccessedByLayers("Service", "Mapping", "Messaging", "Retention")
            .whereLayer("Persistence")
            .mayOnlyAccessLayers("Domain")
            .whereLayer("Domain")
            .mayNotAccessAnyLayer()
            .whereLayer("Statistics")
            .mayOnlyBeAccessedByLayers("Rest", "Service")
            .whereLayer("Statistics")
            .mayNotAccessAnyLayer()
            .whereLayer("Config")
            .mayOnlyBeAccessedByLayers("Service", "Retention")
            .whereLayer("Config")
            .mayOnlyAccessLayers("Domain")
            .whereLayer("Client")
            .mayOnlyBeAccessedByLayers("Service")
            .whereLayer("Client")
            .mayNotAccessAnyLayer()
            .ensureAllClassesAreContainedInArchitecture();

    @ArchTest
    static final ArchRule slices_are_free_of_cycles =
            slices().matching(BASE + ".(*)..").should().beFreeOfCycles();

    /** The commands, queries and results are plain records over the domain: no HTTP, JSON, OpenAPI or JPA. */
    @ArchTest
    static final ArchRule application_is_plain_records = classes()
            .that()
            .resideInAPackage(BASE + ".application..")
            .and()
            .areTopLevelClasses()
            .and()
            .doNotHaveSimpleName("package-info")
            .should()
            .beRecords()
            .andShould()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(BASE + ".application..", BASE + ".domain..", "java..");

    /** Native SQL lives in persistence repositories, the retention job's and the hub-key rotation's included. */
    @ArchTest
    static final ArchRule native_sql_only_in_persistence = noClasses()
            .that()
            .resideOutsideOfPackage(BASE + ".persistence..")
            .should()
            .callMethodWhere(target(name("createNativeQuery")));

    /**
     * Below rest, a refusal is a typed {@code ReferralException}; only rest's one mapper turns it into a problem.
     * (client's registry call answers a 503 problem of its own.)
     */
    @ArchTest
    static final ArchRule only_rest_builds_problems = noClasses()
            .that()
            .resideInAnyPackage(
                    BASE + ".domain..",
                    BASE + ".application..",
                    BASE + ".service..",
                    BASE + ".mapping..",
                    BASE + ".persistence..",
                    BASE + ".messaging..",
                    BASE + ".statistics..",
                    BASE + ".config..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.tandem.platform.problem..");
}
