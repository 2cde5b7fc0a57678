package org.tandem.referral.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The referrals of one survivor's pathway, and who may see them (docs/referrals.md, "Pathways and stages"). An
 * organisation sees that a pathway exists only if it is or was a party to one of its referrals and her consent on
 * that referral still covers it (neither withdrawn nor expired); it then sees each referral of the pathway that
 * her consent still covers, never a draft of another organisation. Anyone else is told it does not exist.
 */
public record Pathway(UUID id, List<Referral> referrals) {

    public Pathway {
        if (id == null || referrals == null) {
            throw new IllegalArgumentException("a pathway has an id and referrals");
        }
        referrals = List.copyOf(referrals);
    }

    /** The referrals {@code organisation} may see at {@code at}; {@link ReferralException.NotFound} if none. */
    public List<Referral> seenBy(UUID organisation, Instant at) {
        boolean party = referrals.stream().anyMatch(r -> isParty(r, organisation) && covered(r, at));
        if (!party) {
            throw new ReferralException.NotFound("pathway");
        }
        return referrals.stream()
                .filter(r -> r.status() == Referral.Status.DRAFT
                        ? r.parties().sender().equals(organisation)
                        : covered(r, at))
                .toList();
    }

    /** The sender of a referral, or its receiver once it was submitted. */
    public static boolean isParty(Referral r, UUID organisation) {
        return r.parties().sender().equals(organisation)
                || (r.parties().receiver().equals(organisation) && r.status() != Referral.Status.DRAFT);
    }

    /** Whether her consent on {@code r} still covers it at {@code at}: recorded, not withdrawn, not expired. */
    public static boolean covered(Referral r, Instant at) {
        return r.status() != Referral.Status.WITHDRAWN
                && r.consent()
                        .filter(c -> !c.isWithdrawn() && !at.isBefore(c.givenAt()) && at.isBefore(c.expiresAt()))
                        .isPresent();
    }
}
