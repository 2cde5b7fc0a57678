package org.tandem.referral.application;

import java.util.Map;

import org.tandem.referral.domain.Consent;

/**
 * One version of the consent form in one language, as the data files under {@code consent-forms/} hold
 * it. A translation that a native speaker has not yet reviewed says so in {@code needsNativeReview}.
 *
 * @param language ISO 639-3 code
 * @param direction ltr or rtl
 */
public record ConsentForm(
        String version,
        String language,
        String languageName,
        boolean needsNativeReview,
        String direction,
        String title,
        String intro,
        String voluntary,
        String recipientsHeading,
        String purposesHeading,
        Map<Consent.Purpose, String> purposes,
        String categoriesHeading,
        String categoriesInstruction,
        Map<Consent.DataCategory, String> categories,
        String withdrawal,
        String expiry,
        String expiryLabel,
        String interpreterQuestion,
        String yes,
        String no,
        String signatureSurvivor,
        String signatureCaseworker,
        String dateLabel,
        String footer) {

    /** An entry of the list of forms. */
    public record Listing(
            String version, String language, String languageName, boolean needsNativeReview, boolean current) {}
}
