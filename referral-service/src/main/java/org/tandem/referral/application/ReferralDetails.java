package org.tandem.referral.application;

import org.tandem.referral.domain.Referral;

/** A referral in its current state, with its row version (the ETag's value). */
public record ReferralDetails(Referral referral, long version) {}
