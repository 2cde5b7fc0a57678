package org.tandem.referral.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.tandem.platform.codes.Iso639Language;
import org.tandem.referral.domain.AgeBand;
import org.tandem.referral.domain.ChildAgeBand;
import org.tandem.referral.domain.Consent;
import org.tandem.referral.domain.Consent.DataCategory;
import org.tandem.referral.domain.Consent.Purpose;
import org.tandem.referral.domain.RequestedService;
import org.tandem.referral.domain.SafetyRisk;
import org.tandem.referral.domain.Stage;
import org.tandem.referral.domain.Urgency;

/**
 * A new referral, as a sending caseworker or integration creates it: the first of a new pathway. The sender is the
 * caller's organisation. {@code stage} is required; {@code reflectionPeriodEndsOn} only for IDENTIFICATION and
 * FIRST_ASSISTANCE; {@code returnRiskAssessment} only for RETURN_AND_REINTEGRATION.
 */
public record NewReferral(
        @NotNull UUID receiverOrganisationId,
        @NotNull @Valid SummaryInput summary,
        @Valid ConsentInput consent,
        @NotNull Stage stage,
        LocalDate reflectionPeriodEndsOn,
        @Valid ReturnRiskAssessmentInput returnRiskAssessment) {

    /** The summary the receiver sees before it accepts: codes and bands only, no free text. */
    @Schema(name = "Summary")
    public record SummaryInput(
            @NotNull Urgency urgency,
            @NotEmpty @Size(max = 13) Set<@NotNull RequestedService> requestedServices,
            @Size(max = 10) List<@NotNull @Iso639Language String> languages,
            @NotNull AgeBand ageBand,
            @Size(max = 12) List<@NotNull ChildAgeBand> accompanyingChildren,
            @NotNull SafetyRisk safetyRisk,
            LocalDate arrivalEarliest,
            LocalDate arrivalLatest) {}

    /**
     * The survivor's consent as the caseworker records it. There is deliberately no field about
     * cooperation with the police: assistance is never conditional on it.
     */
    @Schema(name = "Consent")
    public record ConsentInput(
            @Size(max = 10) Set<@NotNull UUID> recipients,
            @NotEmpty @Size(max = 3) Set<@NotNull Purpose> purposes,
            @Size(max = 8) Set<@NotNull DataCategory> dataCategories,
            @NotNull Instant givenAt,
            @NotNull Instant expiresAt,
            @NotNull @Iso639Language String formLanguage,

            @NotNull @Pattern(regexp = "[A-Za-z0-9._-]{1,32}", message = "must be a version label such as 2026-1")
            String formVersion,

            boolean interpreterPresent,
            @NotNull Consent.Method method) {}
}
