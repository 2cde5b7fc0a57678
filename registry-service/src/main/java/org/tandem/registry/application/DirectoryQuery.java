package org.tandem.registry.application;

import java.util.List;

import org.tandem.registry.domain.ServiceCode;

/**
 * Query: what a caseworker looks for in the directory. Every criterion is optional; {@code services} must all be
 * offered; {@code age} admits organisations whose age range includes it (and, under 18, that accept minors).
 */
public record DirectoryQuery(
        String country,
        String region,
        List<ServiceCode> services,
        String language,
        Boolean womenOnly,
        Boolean acceptsMinors,
        Boolean withChildren,
        Integer age,
        Boolean hasCapacity,
        String text) {

    /** Every approved organisation. */
    public static DirectoryQuery all() {
        return new DirectoryQuery(null, null, null, null, null, null, null, null, null, null);
    }
}
