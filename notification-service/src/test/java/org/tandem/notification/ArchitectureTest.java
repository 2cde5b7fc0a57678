package org.tandem.notification;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.tandem.testing.ArchitectureRules;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * notification-service's layers (docs/architecture.md, "notification-service"): {@code rest} maps its API types onto
 * {@code application}'s commands, queries and results and calls {@code service}; nothing calls {@code rest},
 * {@code messaging} or the entry point. The service layer works with {@code delivery}, {@code alert},
 * {@code secrets} and {@code persistence}; {@code domain} is plain Java at the bottom. No layer may be empty, and no
 * rule allows an empty "should": a renamed package fails instead of passing.
 */
@AnalyzeClasses(packages = "org.tandem.notification", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String BASE = "org.tandem.notification";

    @ArchTest
    static final ArchRule layers_point_one_way = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Main")
            .definedBy(BASE)
            .layer("Rest")
            .definedBy(BASE + ".rest..")
            .layer("Application")
            .definedBy(BASE + ".application..")
            .layer("Service")
            .definedBy(BASE + ".service..")
            .layer("Messaging")
            .definedBy(BASE + ".messaging..")
            .layer("Delivery")
            .definedBy(BASE + ".delivery..")
            .layer("Alert")
            .definedBy(BASE + ".alert..")
            .layer("Secrets")
            .definedBy(BASE + ".secrets..")
            .layer("Persistence")
            .definedBy(BASE + ".persistence..")
            .layer("Domain")
            .definedBy(BASE + ".domain..")
            // the retention job and its report (docs/retention.md): an entry point like messaging
            .layer("Retention")
            .definedBy(BASE + ".retention..")
            .whereLayer("Main")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Rest")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Messaging")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Retention")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Service")
            .mayOnlyBeAccessedByLayers("Rest")
            .whereLayer("Application")
            .mayOnlyBeAccessedByLayers("Rest", "Service")
            .whereLayer("Main")
            .mayOnlyAccessLayers("Secrets")
            .whereLayer("Rest")
            .mayOnlyAccessLayers("Application", "Service", "Domain")
            .whereLayer("Application")
            .mayOnlyAccessLayers("Domain")
            .whereLayer("Service")
            .mayOnlyAccessLayers("Application", "Delivery", "Alert", "Secrets", "Persistence", "Domain")
            .whereLayer("Messaging")
            .mayOnlyAccessLayers("Delivery", "Alert", "Persistence", "Domain")
            .whereLayer("Delivery")
            .mayOnlyAccessLayers("Alert", "Secrets", "Persistence", "Domain")
            .whereLayer("Alert")
            .mayOnlyAccessLayers("Persistence", "Domain")
            .whereLayer("Secrets")
            .mayOnlyAccessLayers("Persistence", "Domain")
            .whereLayer("Persistence")
            .mayOnlyAccessLayers("Domain")
            .whereLayer("Domain")
            .mayNotAccessAnyLayer();

    @ArchTest
    static final ArchRule packages_are_free_of_cycles =
            slices().matching(BASE + ".(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule domain_is_framework_free = ArchitectureRules.domainIsFrameworkFree("notification");

    @ArchTest
    static final ArchRule resources_are_rate_limited = ArchitectureRules.resourcesAreRateLimited("notification");

    @ArchTest
    static final ArchRule rest_does_not_use_hibernate = ArchitectureRules.restDoesNotUseHibernate("notification");

    @ArchTest
    static final ArchRule native_sql_only_in_persistence = ArchitectureRules.nativeSqlOnlyInPersistence("notification");
}
