package org.tandem.referral.application;

import org.tandem.referral.domain.DeclineReason;

/** @param note optional, for the sender only */
public record DeclineReferral(DeclineReason reason, String note) {}
