package org.tandem.registry.domain;

/**
 * Whom an organisation can take in. Ages are whole years; {@code null} means no bound.
 */
public record Eligibility(
        boolean womenOnly, boolean acceptsMinors, Integer minAge, Integer maxAge, boolean acceptsWomenWithChildren) {

    public Eligibility {
        if (minAge != null && (minAge < 0 || minAge > 120)) {
            throw new InvalidProfileException("eligibility.minAge", "must be between 0 and 120");
        }
        if (maxAge != null && (maxAge < 0 || maxAge > 120)) {
            throw new InvalidProfileException("eligibility.maxAge", "must be between 0 and 120");
        }
        if (minAge != null && maxAge != null && minAge > maxAge) {
            throw new InvalidProfileException("eligibility.maxAge", "must not be below minAge");
        }
        if (!acceptsMinors && minAge != null && minAge < 18) {
            throw new InvalidProfileException("eligibility.minAge", "must be 18 or more when minors are not accepted");
        }
    }

    /** Whether a person of this age can be taken in; an unknown age is not excluded here. */
    public boolean admitsAge(Integer age) {
        if (age == null) {
            return true;
        }
        if (age < 18 && !acceptsMinors) {
            return false;
        }
        return (minAge == null || age >= minAge) && (maxAge == null || age <= maxAge);
    }
}
