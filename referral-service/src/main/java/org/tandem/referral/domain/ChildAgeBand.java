package org.tandem.referral.domain;

/** The age band of an accompanying child, which shapes accommodation and childcare. */
public enum ChildAgeBand {
    UNDER_1,
    AGE_1_5,
    AGE_6_11,
    AGE_12_17
}
