package org.tandem.referral.domain;

/**
 * The assessed safety risk, for example a trafficker's threat. It always travels with a referral, even
 * when nothing else does (docs/design.md §1.6).
 */
public enum SafetyRisk {
    LOW,
    MODERATE,
    HIGH,
    CRITICAL
}
