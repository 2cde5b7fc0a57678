package org.tandem.referral.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.tandem.referral.domain.DeclineReason;

/** @param note optional, for the sender only; never leaves referral-service in an event or a webhook */
public record DeclineInput(
        @NotNull DeclineReason reason, @Size(max = 500) String note) {}
