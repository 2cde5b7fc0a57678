package org.tandem.registry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain stays plain Java: no framework, persistence, REST or messaging code in it. */
@AnalyzeClasses(packages = "org.tandem.registry", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domain_is_framework_free = noClasses().that().resideInAPackage("..registry.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "io.quarkus..", "org.hibernate..",
                    "org.apache.kafka..", "org.apache.avro..", "io.smallrye..", "com.fasterxml..",
                    "org.tandem.registry.persistence..", "org.tandem.registry.rest..", "org.tandem.events..",
                    "org.tandem.platform..");

    @ArchTest
    static final ArchRule rest_does_not_touch_persistence_directly = noClasses().that().resideInAPackage("..registry.rest..")
            .should().dependOnClassesThat().resideInAPackage("org.hibernate..");
}
