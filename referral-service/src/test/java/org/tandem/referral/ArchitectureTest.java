package org.tandem.referral;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.tandem.testing.ArchitectureRules;

@AnalyzeClasses(packages = "org.tandem.referral", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domain_is_framework_free = ArchitectureRules.domainIsFrameworkFree("referral");

    @ArchTest
    static final ArchRule resources_are_rate_limited = ArchitectureRules.resourcesAreRateLimited("referral");

    @ArchTest
    static final ArchRule rest_does_not_use_hibernate = ArchitectureRules.restDoesNotUseHibernate("referral");
}
