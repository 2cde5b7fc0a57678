package org.tandem.testing;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering rules every service keeps (as in ddd-by-examples/library). No rule allows an empty "should":
 * a renamed package makes its rule fail instead of pass silently.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {}

    /** The domain of {@code org.tandem.<service>} is plain Java: no framework, persistence, REST, Kafka or Avro. */
    public static ArchRule domainIsFrameworkFree(String service) {
        String base = "org.tandem." + service;
        return noClasses()
                .that()
                .resideInAPackage(base + ".domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "jakarta..",
                        "io.quarkus..",
                        "org.hibernate..",
                        "org.apache.kafka..",
                        "org.apache.avro..",
                        "io.smallrye..",
                        "com.fasterxml..",
                        "io.vertx..",
                        base + ".persistence..",
                        base + ".rest..",
                        base + ".service..",
                        base + ".messaging..",
                        "org.tandem.events..",
                        "org.tandem.platform..");
    }

    /** Every REST resource is under the per-organisation rate limit (docs/design.md §4.4). */
    public static ArchRule resourcesAreRateLimited(String service) {
        return com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that()
                .resideInAPackage("org.tandem." + service + "..")
                .and()
                .areAnnotatedWith("jakarta.ws.rs.Path")
                .should()
                .beAnnotatedWith("org.tandem.platform.ratelimit.RateLimited");
    }

    /** REST resources talk to services, not to Hibernate. */
    public static ArchRule restDoesNotUseHibernate(String service) {
        return noClasses()
                .that()
                .resideInAPackage("org.tandem." + service + ".rest..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.hibernate..");
    }

    /**
     * The layers point one way (docs/architecture.md, "Layers"): {@code rest} and {@code messaging} call {@code service};
     * {@code service} takes and returns the records of {@code application} and alone uses {@code mapping} and
     * {@code persistence}; {@code application} and {@code domain} depend on nothing of the service but the domain.
     * Every class of the service belongs to one of these layers, and no layer may be empty.
     */
    public static ArchRule layersPointOneWay(String service) {
        String base = "org.tandem." + service;
        return Architectures.layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("REST")
                .definedBy(base + ".rest..")
                .layer("Messaging")
                .definedBy(base + ".messaging..")
                .layer("Service")
                .definedBy(base + ".service..")
                .layer("Mapping")
                .definedBy(base + ".mapping..")
                .layer("Persistence")
                .definedBy(base + ".persistence..")
                .layer("Application")
                .definedBy(base + ".application..")
                .layer("Domain")
                .definedBy(base + ".domain..")
                // the retention job and its report (docs/retention.md): an entry point like a consumer
                .layer("Retention")
                .definedBy(base + ".retention..")
                .whereLayer("Retention")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("REST")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Messaging")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Service")
                .mayOnlyBeAccessedByLayers("REST", "Messaging", "Retention")
                .whereLayer("Mapping")
                .mayOnlyBeAccessedByLayers("Service")
                .whereLayer("Persistence")
                .mayOnlyBeAccessedByLayers("Service", "Mapping", "Retention")
                .whereLayer("Persistence")
                .mayOnlyAccessLayers("Application", "Domain")
                .whereLayer("Application")
                .mayOnlyAccessLayers("Domain")
                .whereLayer("Domain")
                .mayNotAccessAnyLayer()
                .ensureAllClassesAreContainedInArchitecture();
    }

    /** The top-level packages of {@code org.tandem.<service>} depend on each other without a cycle. */
    public static ArchRule slicesAreFreeOfCycles(String service) {
        return SlicesRuleDefinition.slices()
                .matching("org.tandem." + service + ".(*)..")
                .should()
                .beFreeOfCycles();
    }

    /** Nothing outside {@code rest} uses a REST type: the API's shapes stay at the edge. */
    public static ArchRule onlyRestUsesRest(String service) {
        String base = "org.tandem." + service;
        return noClasses()
                .that()
                .resideInAPackage(base + "..")
                .and()
                .resideOutsideOfPackage(base + ".rest..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(base + ".rest..");
    }

    /** No entity crosses into {@code rest}: resources see the application's records only. */
    public static ArchRule restUsesNoEntities(String service) {
        String base = "org.tandem." + service;
        return noClasses()
                .that()
                .resideInAPackage(base + ".rest..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(base + ".persistence..")
                .orShould()
                .dependOnClassesThat()
                .areAnnotatedWith("jakarta.persistence.Entity");
    }

    /**
     * Native SQL lives in {@code persistence} repositories only: the retention job's bounded batches and its
     * report's counts included (docs/retention.md), and the statements run in plain JDBC through the session
     * ({@code Session.doWork}/{@code doReturningWork}, where a statement's text must not change with its
     * parameters, #18).
     */
    public static ArchRule nativeSqlOnlyInPersistence(String service) {
        String base = "org.tandem." + service;
        return noClasses()
                .that()
                .resideInAPackage(base + "..")
                .and()
                .resideOutsideOfPackage(base + ".persistence..")
                .should()
                .callMethodWhere(describe(
                        "EntityManager.createNativeQuery or Session.doWork/doReturningWork",
                        (JavaCall<?> call) -> (call.getTarget().getName().equals("createNativeQuery")
                                        && call.getTarget()
                                                .getOwner()
                                                .isAssignableTo("jakarta.persistence.EntityManager"))
                                || ((call.getTarget().getName().equals("doWork")
                                                || call.getTarget().getName().equals("doReturningWork"))
                                        && call.getTarget()
                                                .getOwner()
                                                .isAssignableTo("org.hibernate.SharedSessionContract"))));
    }
}
