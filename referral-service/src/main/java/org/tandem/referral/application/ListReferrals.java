package org.tandem.referral.application;

/** The caller's organisation's referrals in one box, newest change first, at most {@code limit}. */
public record ListReferrals(Box box, int limit) {

    public enum Box {
        /** the referrals it sent, drafts included */
        SENT,
        /** the referrals it received; never a draft */
        RECEIVED
    }
}
