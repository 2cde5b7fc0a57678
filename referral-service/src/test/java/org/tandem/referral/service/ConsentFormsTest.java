package org.tandem.referral.service;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import org.tandem.referral.application.ConsentForm;
import org.tandem.referral.domain.Consent;
import org.tandem.referral.mapping.ConsentFormHtml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The consent-form data files: complete, in the languages we promise, and never rendered unescaped. */
class ConsentFormsTest {

    final ConsentForms forms = new ConsentForms();

    @Test
    void every_listed_form_is_complete_and_the_current_version_has_english_and_languages_survivors_speak() {
        assertThat(forms.list())
                .filteredOn(ConsentForm.Listing::current)
                .extracting(ConsentForm.Listing::language)
                .contains("eng", "pcm", "ukr", "ron");
        assertThat(forms.list())
                .filteredOn(l -> !l.language().equals("eng"))
                .allMatch(ConsentForm.Listing::needsNativeReview);
        for (var listing : forms.list()) {
            ConsentForm f = forms.find(listing.version(), listing.language()).orElseThrow();
            assertThat(f.purposes()).containsOnlyKeys(Consent.Purpose.values());
            assertThat(f.categories()).containsOnlyKeys(Consent.DataCategory.values());
            assertThat(f.toString().toLowerCase(Locale.ROOT))
                    .as("say survivor, never victim")
                    .doesNotContain("victim");
        }
    }

    @Test
    void a_form_that_leaves_out_a_data_category_is_refused() {
        ConsentForm eng = forms.find("2026-1", "eng").orElseThrow();
        var fewer = new EnumMap<>(eng.categories());
        fewer.remove(Consent.DataCategory.DOCUMENTS);
        var broken = new ConsentForm(
                eng.version(),
                eng.language(),
                eng.languageName(),
                false,
                eng.direction(),
                eng.title(),
                eng.intro(),
                eng.voluntary(),
                eng.recipientsHeading(),
                eng.purposesHeading(),
                eng.purposes(),
                eng.categoriesHeading(),
                eng.categoriesInstruction(),
                fewer,
                eng.withdrawal(),
                eng.expiry(),
                eng.expiryLabel(),
                eng.interpreterQuestion(),
                eng.yes(),
                eng.no(),
                eng.signatureSurvivor(),
                eng.signatureCaseworker(),
                eng.dateLabel(),
                eng.footer());
        assertThatThrownBy(() -> ConsentForms.check(broken, new ConsentForms.Index.Entry("2026-1", "eng")))
                .hasMessageContaining("data category");
    }

    @Test
    void the_printable_form_escapes_every_text() {
        ConsentForm eng = forms.find("2026-1", "eng").orElseThrow();
        var hostile = new ConsentForm(
                eng.version(),
                eng.language(),
                eng.languageName(),
                false,
                eng.direction(),
                "<script>alert(1)</script>",
                eng.intro(),
                eng.voluntary(),
                eng.recipientsHeading(),
                eng.purposesHeading(),
                eng.purposes(),
                eng.categoriesHeading(),
                eng.categoriesInstruction(),
                eng.categories(),
                eng.withdrawal(),
                eng.expiry(),
                eng.expiryLabel(),
                eng.interpreterQuestion(),
                eng.yes(),
                eng.no(),
                eng.signatureSurvivor(),
                eng.signatureCaseworker(),
                eng.dateLabel(),
                eng.footer());
        String html = ConsentFormHtml.render(hostile, List.of(), java.util.Set.of(), java.util.Set.of(), null, null);
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;").contains("<html lang=\"en\"");
    }
}
