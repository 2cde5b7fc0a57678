package org.tandem.referral.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * What does not change over a referral's life.
 *
 * @param createdBy opaque id (token subject) of the caseworker or integration that created it
 * @param redirectedFrom the declined referral this one continues, if any
 */
public record ReferralFacts(
        UUID id, Parties parties, Summary summary, Instant createdAt, String createdBy, UUID redirectedFrom) {

    public ReferralFacts {
        if (id == null || parties == null || summary == null || createdAt == null || createdBy == null) {
            throw new IllegalArgumentException("incomplete referral facts");
        }
    }
}
