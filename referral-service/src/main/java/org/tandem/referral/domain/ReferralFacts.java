package org.tandem.referral.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * What does not change over a referral's life.
 *
 * @param createdBy opaque id (token subject) of the caseworker or integration that created it
 * @param redirectedFrom the declined referral this one continues, if any
 * @param pathway its pathway, stage and what the stage needs (docs/referrals.md, "Pathways and stages")
 */
public record ReferralFacts(
        UUID id,
        Parties parties,
        Summary summary,
        Instant createdAt,
        String createdBy,
        UUID redirectedFrom,
        PathwayStep pathway) {

    public ReferralFacts {
        if (id == null
                || parties == null
                || summary == null
                || createdAt == null
                || createdBy == null
                || pathway == null) {
            throw new IllegalArgumentException("incomplete referral facts");
        }
    }

    public ReferralFacts withPathway(PathwayStep step) {
        return new ReferralFacts(id, parties, summary, createdAt, createdBy, redirectedFrom, step);
    }
}
