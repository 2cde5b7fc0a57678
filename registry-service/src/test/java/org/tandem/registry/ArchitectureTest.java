package org.tandem.registry;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.tandem.testing.ArchitectureRules;

@AnalyzeClasses(packages = "org.tandem.registry", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domain_is_framework_free = ArchitectureRules.domainIsFrameworkFree("registry");

    @ArchTest
    static final ArchRule resources_are_rate_limited = ArchitectureRules.resourcesAreRateLimited("registry");

    @ArchTest
    static final ArchRule rest_does_not_use_hibernate = ArchitectureRules.restDoesNotUseHibernate("registry");

    @ArchTest
    static final ArchRule layers_point_one_way = ArchitectureRules.layersPointOneWay("registry");

    @ArchTest
    static final ArchRule slices_are_free_of_cycles = ArchitectureRules.slicesAreFreeOfCycles("registry");

    @ArchTest
    static final ArchRule only_rest_uses_rest = ArchitectureRules.onlyRestUsesRest("registry");

    @ArchTest
    static final ArchRule rest_uses_no_entities = ArchitectureRules.restUsesNoEntities("registry");

    @ArchTest
    static final ArchRule native_sql_only_in_persistence = ArchitectureRules.nativeSqlOnlyInPersistence("registry");
}
