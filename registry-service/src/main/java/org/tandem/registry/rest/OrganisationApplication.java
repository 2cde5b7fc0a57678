package org.tandem.registry.rest;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.tandem.platform.codes.Iso3166Country;
import org.tandem.platform.codes.Iso639Language;
import org.tandem.registry.domain.Capacity;
import org.tandem.registry.domain.ServiceCode;

/** An organisation's profile as its org-admin submits it, to apply for membership or to update it. */
@Schema(name = "OrganisationProfile")
public record OrganisationApplication(
        @NotBlank @Size(max = 200) String name,
        @Size(max = 4000) String description,
        @NotNull @Iso3166Country String country,

        @Pattern(regexp = "[A-Z]{2}-[A-Z0-9]{1,3}", message = "must be an ISO 3166-2 code such as DE-RP")
        String region,

        @NotEmpty @Size(max = 13) Set<@NotNull ServiceCode> services,
        @NotEmpty @Size(max = 40) List<@NotNull @Iso639Language String> languages,
        @NotNull @Valid EligibilityInput eligibility,
        @NotNull @Valid CapacityInput capacity,
        @Size(max = 28) List<@NotNull @Valid ContactHoursInput> contactHours,
        @Valid AddressInput confidentialAddress) {

    public record EligibilityInput(
            boolean womenOnly,
            boolean acceptsMinors,
            @Min(0) @Max(120) Integer minAge,
            @Min(0) @Max(120) Integer maxAge,
            boolean acceptsWomenWithChildren) {}

    public record CapacityInput(
            @Min(0) @Max(100000) int available,
            @Min(0) @Max(100000) Integer maximum,
            @NotNull Capacity.CapacityUnit unit) {}

    public record ContactHoursInput(
            @NotNull DayOfWeek dayOfWeek,
            @NotNull LocalTime opens,
            @NotNull LocalTime closes) {}

    public record AddressInput(
            @NotBlank @Size(max = 200) String street,
            @Size(max = 20) String postalCode,
            @NotBlank @Size(max = 100) String locality,
            @NotNull @Iso3166Country String country) {}
}
