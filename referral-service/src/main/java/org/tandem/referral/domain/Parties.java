package org.tandem.referral.domain;

import java.util.UUID;

/** The two organisations of a referral and their countries (ISO 3166-1 alpha-2). */
public record Parties(UUID sender, String senderCountry, UUID receiver, String receiverCountry) {

    public Parties {
        if (sender == null || receiver == null || senderCountry == null || receiverCountry == null) {
            throw new ReferralException.InvalidField(
                    "receiverOrganisationId", "both organisations and their countries are required");
        }
        if (sender.equals(receiver)) {
            throw new ReferralException.InvalidField(
                    "receiverOrganisationId", "must be another organisation than yours");
        }
    }

    public boolean involves(UUID organisation) {
        return sender.equals(organisation) || receiver.equals(organisation);
    }
}
