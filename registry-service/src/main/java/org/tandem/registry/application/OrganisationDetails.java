package org.tandem.registry.application;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.tandem.registry.domain.Capacity;
import org.tandem.registry.domain.Membership;
import org.tandem.registry.domain.ServiceCode;

/**
 * Result: an organisation's public profile, with its version (the ETag). Never holds the confidential address.
 */
public record OrganisationDetails(
        UUID id,
        String name,
        String description,
        String country,
        String region,
        List<ServiceCode> services,
        List<String> languages,
        EligibilityTerms eligibility,
        CapacityState capacity,
        List<OpeningHours> contactHours,
        Membership.Status membershipStatus,
        long version) {

    /** The free capacity and when it was last reported. */
    public record CapacityState(int available, Integer maximum, Capacity.CapacityUnit unit, Instant updatedAt) {}
}
