package org.tandem.referral.domain;

/**
 * The assessed safety risk, for example a trafficker's threat. It always travels with a referral, even
 * when nothing else does (DESIGN §1).
 */
public enum SafetyRisk {
    LOW, MODERATE, HIGH, CRITICAL
}
