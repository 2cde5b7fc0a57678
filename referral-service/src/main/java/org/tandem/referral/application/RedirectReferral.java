package org.tandem.referral.application;

import java.util.UUID;

/** Continue a declined referral towards another organisation; {@code consent} when the carried one does not name it. */
public record RedirectReferral(UUID receiverOrganisationId, GivenConsent consent) {}
