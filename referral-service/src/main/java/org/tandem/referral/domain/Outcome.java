package org.tandem.referral.domain;

/** How a referral ended for the survivor, recorded by the receiver so that the sender learns it. */
public enum Outcome {
    SERVICES_PROVIDED,
    PARTIALLY_PROVIDED,
    SURVIVOR_DECLINED,
    UNABLE_TO_CONTACT,
    SURVIVOR_MOVED_ON,
    REFERRED_ONWARD,
    OTHER
}
