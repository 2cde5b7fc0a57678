package org.tandem.referral.application;

import java.time.Instant;
import java.util.UUID;

/**
 * One step of a referral's timeline: what happened, when, by which side, with its code. Never a note.
 *
 * @param by SENDER, RECEIVER, or HUB for the network's own steps (escalations)
 * @param linkedReferralId the new referral of a redirect, or the declined referral this one continues
 */
public record TimelineEntry(Instant at, String step, String status, String by, String code, UUID linkedReferralId) {}
