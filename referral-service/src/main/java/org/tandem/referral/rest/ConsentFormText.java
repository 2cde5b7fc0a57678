package org.tandem.referral.rest;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.tandem.referral.application.ConsentForm;
import org.tandem.referral.domain.Consent;

/**
 * One version of the consent form in one language, as the data files under {@code consent-forms/} hold
 * it. A translation that a native speaker has not yet reviewed says so in {@code needsNativeReview}.
 *
 * @param language ISO 639-3 code
 * @param direction ltr or rtl
 */
@Schema(name = "ConsentForm")
public record ConsentFormText(
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
    @Schema(name = "ConsentFormListing")
    public record Listing(
            String version, String language, String languageName, boolean needsNativeReview, boolean current) {

        static Listing of(ConsentForm.Listing l) {
            return new Listing(l.version(), l.language(), l.languageName(), l.needsNativeReview(), l.current());
        }
    }

    static ConsentFormText of(ConsentForm f) {
        return new ConsentFormText(
                f.version(),
                f.language(),
                f.languageName(),
                f.needsNativeReview(),
                f.direction(),
                f.title(),
                f.intro(),
                f.voluntary(),
                f.recipientsHeading(),
                f.purposesHeading(),
                f.purposes(),
                f.categoriesHeading(),
                f.categoriesInstruction(),
                f.categories(),
                f.withdrawal(),
                f.expiry(),
                f.expiryLabel(),
                f.interpreterQuestion(),
                f.yes(),
                f.no(),
                f.signatureSurvivor(),
                f.signatureCaseworker(),
                f.dateLabel(),
                f.footer());
    }
}
