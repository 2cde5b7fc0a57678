package org.tandem.referral.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A survivor's informed consent for one referral (docs/design.md §3.4). It is given freely, in a language she
 * understands, and is never conditional on cooperation with the police, so no such field exists. Nothing
 * is transferred that it does not cover, and she can withdraw it at any time.
 *
 * @param recipients organisations she agreed may receive her referral
 * @param formLanguage ISO 639-3 code of the consent form she was given
 * @param formVersion version of that form's text
 * @param recordedBy opaque id (token subject) of the caseworker who recorded it
 */
public record Consent(
        Set<UUID> recipients,
        Set<Purpose> purposes,
        Set<DataCategory> dataCategories,
        Instant givenAt,
        Instant expiresAt,
        String formLanguage,
        String formVersion,
        boolean interpreterPresent,
        Method method,
        String recordedBy,
        Instant withdrawnAt) {

    public enum Purpose {
        /** Sharing the summary so that an organisation can decide whether it can help. */
        REFERRAL,
        /** Handing over the case file after acceptance. */
        CASE_TRANSFER,
        /**
         * Her own consent to return to her country of origin, which a referral to the stage
         * RETURN_AND_REINTEGRATION needs. Like every purpose it is never conditional on cooperation with the police.
         */
        RETURN
    }

    public enum DataCategory {
        IDENTITY,
        CONTACT,
        IMMIGRATION_STATUS,
        HEALTH,
        CHILDREN,
        LEGAL_PROCEEDINGS,
        EXPLOITATION_HISTORY,
        DOCUMENTS
    }

    /** How she gave it. */
    public enum Method {
        SIGNED_FORM,
        VERBAL_WITNESSED,
        ELECTRONIC
    }

    public Consent {
        if (recipients == null || recipients.isEmpty()) {
            throw new ReferralException.InvalidField("consent.recipients", "must name at least one organisation");
        }
        if (purposes == null || purposes.isEmpty()) {
            throw new ReferralException.InvalidField("consent.purposes", "must name at least one purpose");
        }
        if (givenAt == null || expiresAt == null) {
            throw new ReferralException.InvalidField("consent", "needs givenAt and expiresAt");
        }
        if (!expiresAt.isAfter(givenAt)) {
            throw new ReferralException.InvalidField("consent.expiresAt", "must be after givenAt");
        }
        if (formLanguage == null || formVersion == null || method == null || recordedBy == null) {
            throw new ReferralException.InvalidField(
                    "consent", "needs the form's language and version, the method and who recorded it");
        }
        recipients = Set.copyOf(recipients);
        purposes = Set.copyOf(purposes);
        dataCategories = dataCategories == null ? Set.of() : Set.copyOf(dataCategories);
    }

    /**
     * Why this consent does not allow {@code purpose} towards {@code recipient} with these data
     * categories at {@code at}, or empty when it does.
     */
    public Optional<String> refusal(UUID recipient, Purpose purpose, Set<DataCategory> categories, Instant at) {
        if (withdrawnAt != null && !at.isBefore(withdrawnAt)) {
            return Optional.of("the survivor has withdrawn her consent");
        }
        if (at.isBefore(givenAt)) {
            return Optional.of("the consent is dated in the future");
        }
        if (!at.isBefore(expiresAt)) {
            return Optional.of("the consent expired on " + expiresAt);
        }
        if (!recipients.contains(recipient)) {
            return Optional.of("the consent does not name the receiving organisation");
        }
        if (!purposes.contains(purpose)) {
            return Optional.of("the consent does not cover the purpose " + purpose);
        }
        if (!dataCategories.containsAll(categories)) {
            var missing = new java.util.TreeSet<>(categories);
            missing.removeAll(dataCategories);
            return Optional.of("the consent does not cover the data categories " + missing);
        }
        return Optional.empty();
    }

    public boolean isWithdrawn() {
        return withdrawnAt != null;
    }

    public Consent withdraw(Instant at) {
        return new Consent(
                recipients,
                purposes,
                dataCategories,
                givenAt,
                expiresAt,
                formLanguage,
                formVersion,
                interpreterPresent,
                method,
                recordedBy,
                at);
    }
}
