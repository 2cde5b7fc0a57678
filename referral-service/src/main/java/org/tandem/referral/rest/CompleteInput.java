package org.tandem.referral.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.tandem.referral.domain.Outcome;

/** @param note optional, for the sender only; never leaves referral-service in an event or a webhook */
public record CompleteInput(
        @NotNull Outcome outcome, @Size(max = 500) String note) {}
