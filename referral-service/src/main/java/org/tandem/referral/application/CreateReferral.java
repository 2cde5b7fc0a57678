package org.tandem.referral.application;

import java.util.UUID;

/** Create a draft from the caller's organisation to {@code receiverOrganisationId}; {@code consent} may come later. */
public record CreateReferral(UUID receiverOrganisationId, ReferralSummary summary, GivenConsent consent) {}
