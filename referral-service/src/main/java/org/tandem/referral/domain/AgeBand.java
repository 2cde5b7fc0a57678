package org.tandem.referral.domain;

/** A survivor's age as a band: the summary never carries a date of birth. */
public enum AgeBand {
    UNDER_18,
    AGE_18_24,
    AGE_25_34,
    AGE_35_44,
    AGE_45_54,
    AGE_55_PLUS,
    UNKNOWN
}
