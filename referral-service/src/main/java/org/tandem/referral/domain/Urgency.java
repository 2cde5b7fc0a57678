package org.tandem.referral.domain;

/** How soon the survivor needs the receiving organisation's answer; sets the response deadlines. */
public enum Urgency {
    /** Immediate danger or no safe place tonight. */
    EMERGENCY,
    URGENT,
    ROUTINE
}
