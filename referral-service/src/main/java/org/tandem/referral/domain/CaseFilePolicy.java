package org.tandem.referral.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * When a referral's case file may be uploaded, released or must be destroyed (docs/design.md §3.5): uploaded by the
 * sender while the referral is open, released to the receiver only after acceptance and only while the
 * survivor's consent covers the transfer, and destroyed when the referral ends without (further) transfer.
 */
public final class CaseFilePolicy {

    private CaseFilePolicy() {}

    /** Why the sender cannot upload a file in this state, or empty when it can. */
    public static Optional<String> uploadRefusal(Referral r) {
        return switch (r) {
            case Referral.Draft d -> Optional.empty();
            case Referral.Submitted s -> Optional.empty();
            case Referral.Acknowledged a -> Optional.empty();
            case Referral.Accepted a -> Optional.empty();
            case Referral.InProgress p -> Optional.empty();
            default -> Optional.of("A referral that is " + r.status() + " takes no case file.");
        };
    }

    /** Why the file cannot be released to the receiver in this state, or empty when it can. */
    public static Optional<String> releaseRefusal(Referral r) {
        return switch (r) {
            case Referral.Accepted a -> Optional.empty();
            case Referral.InProgress p -> Optional.empty();
            case Referral.Completed c -> Optional.empty();
            default ->
                Optional.of("The case file is released only after the referral is accepted; it is " + r.status() + ".");
        };
    }

    /** Why the consent does not allow transferring these categories to the receiver at {@code at}, or empty. */
    public static Optional<String> consentRefusal(Referral r, Set<Consent.DataCategory> categories, Instant at) {
        return r.consent()
                .map(c -> c.refusal(r.parties().receiver(), Consent.Purpose.CASE_TRANSFER, categories, at))
                .orElse(Optional.of("must be recorded before a case file is transferred"));
    }

    /** Whether the hub must destroy the file's data key now that the referral is in this state. */
    public static boolean mustShred(Referral r) {
        return r instanceof Referral.Withdrawn || r instanceof Referral.Cancelled || r instanceof Referral.Declined;
    }

    /** Whether the receiver owes a deletion receipt: the survivor withdrew after the file reached it. */
    public static boolean receiptOwed(Referral r, boolean fileWasReleased) {
        return r instanceof Referral.Withdrawn && fileWasReleased;
    }
}
