package org.tandem.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering rules every service keeps (as in ddd-by-examples/library). No rule allows an empty "should":
 * a renamed package makes its rule fail instead of pass silently.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** The domain of {@code org.tandem.<service>} is plain Java: no framework, persistence, REST, Kafka or Avro. */
    public static ArchRule domainIsFrameworkFree(String service) {
        String base = "org.tandem." + service;
        return noClasses().that().resideInAPackage(base + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "io.quarkus..", "org.hibernate..",
                        "org.apache.kafka..", "org.apache.avro..", "io.smallrye..", "com.fasterxml..", "io.vertx..",
                        base + ".persistence..", base + ".rest..", base + ".service..", base + ".messaging..",
                        "org.tandem.events..", "org.tandem.platform..");
    }

    /** Every REST resource is under the per-organisation rate limit (docs/design.md §4.4). */
    public static ArchRule resourcesAreRateLimited(String service) {
        return com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that()
                .resideInAPackage("org.tandem." + service + "..").and().areAnnotatedWith("jakarta.ws.rs.Path")
                .should().beAnnotatedWith("org.tandem.platform.ratelimit.RateLimited");
    }

    /** REST resources talk to services, not to Hibernate. */
    public static ArchRule restDoesNotUseHibernate(String service) {
        return noClasses().that().resideInAPackage("org.tandem." + service + ".rest..")
                .should().dependOnClassesThat().resideInAPackage("org.hibernate..");
    }
}
