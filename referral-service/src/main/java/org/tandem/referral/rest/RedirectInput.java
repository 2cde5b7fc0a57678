package org.tandem.referral.rest;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * Where a declined referral goes next. The summary is carried over; the consent too when it names the new
 * organisation, otherwise give one here (or record it on the new draft before submitting).
 */
public record RedirectInput(
        @NotNull UUID receiverOrganisationId, @Valid NewReferral.ConsentInput consent) {}
