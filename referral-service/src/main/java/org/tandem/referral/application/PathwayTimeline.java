package org.tandem.referral.application;

import java.util.List;
import java.util.UUID;

import org.tandem.referral.domain.Referral;

/** The referrals of a pathway that the asking organisation may see, oldest first. */
public record PathwayTimeline(UUID pathwayId, List<Referral> referrals) {}
