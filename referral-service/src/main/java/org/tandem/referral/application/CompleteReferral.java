package org.tandem.referral.application;

import org.tandem.referral.domain.Outcome;

/** @param note optional, for the sender only */
public record CompleteReferral(Outcome outcome, String note) {}
