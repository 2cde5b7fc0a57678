package org.tandem.registry.rest;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.tandem.registry.domain.Capacity;
import org.tandem.registry.domain.Membership;
import org.tandem.registry.domain.ServiceCode;

/** The public profile of an organisation, as the directory shows it. Never holds the confidential address. */
@Schema(name = "Organisation")
public record OrganisationView(
        UUID id,
        String name,
        String description,
        String country,
        String region,
        List<ServiceCode> services,
        List<String> languages,
        Eligibility eligibility,
        CapacityView capacity,
        List<ContactHours> contactHours,
        Membership.Status membershipStatus,
        long version) {

    public record Eligibility(
            boolean womenOnly,
            boolean acceptsMinors,
            Integer minAge,
            Integer maxAge,
            boolean acceptsWomenWithChildren) {}

    public record CapacityView(int available, Integer maximum, Capacity.CapacityUnit unit, Instant updatedAt) {}

    public record ContactHours(DayOfWeek dayOfWeek, LocalTime opens, LocalTime closes) {}
}
