package org.tandem.referral.rest;

import java.time.LocalDate;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.tandem.referral.domain.Stage;

/**
 * An onward referral from an accepted referral your organisation received, to the next organisation of her
 * pathway. The summary is carried over unless you give one; the consent must name the next organisation.
 */
@Schema(name = "OnwardReferral")
public record OnwardInput(
        @NotNull UUID receiverOrganisationId,
        @NotNull Stage stage,
        LocalDate reflectionPeriodEndsOn,
        @Valid ReturnRiskAssessmentInput returnRiskAssessment,
        @Valid NewReferral.SummaryInput summary,
        @Valid NewReferral.ConsentInput consent) {}
