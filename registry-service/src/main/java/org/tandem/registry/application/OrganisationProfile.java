package org.tandem.registry.application;

import java.util.List;
import java.util.Set;

import org.tandem.registry.domain.ConfidentialAddress;
import org.tandem.registry.domain.ServiceCode;

/**
 * Command: an organisation's profile as its org-admin submits it, to apply for membership or to update it. The
 * domain's rules (eligibility, capacity, contact hours) are checked when the service applies it.
 *
 * @param confidentialAddress null to keep no address
 */
public record OrganisationProfile(
        String name,
        String description,
        String country,
        String region,
        Set<ServiceCode> services,
        List<String> languages,
        EligibilityTerms eligibility,
        CapacityReport capacity,
        List<OpeningHours> contactHours,
        ConfidentialAddress confidentialAddress) {}
