package org.tandem.referral.domain;

/** Why a receiver declined. A code, so that it can be counted and can travel in events; any note stays local. */
public enum DeclineReason {
    NO_CAPACITY,
    SERVICE_NOT_OFFERED,
    ELIGIBILITY_NOT_MET,
    LANGUAGE_NOT_SUPPORTED,
    SAFETY_CONCERN,
    OUT_OF_AREA,
    OTHER
}
