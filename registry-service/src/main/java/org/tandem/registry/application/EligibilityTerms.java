package org.tandem.registry.application;

/** Whom an organisation takes in, as submitted and as shown. Ages are whole years; null means no bound. */
public record EligibilityTerms(
        boolean womenOnly, boolean acceptsMinors, Integer minAge, Integer maxAge, boolean acceptsWomenWithChildren) {}
