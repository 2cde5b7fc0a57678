package org.tandem.testing;

import java.time.Duration;
import java.time.Instant;

/**
 * Request bodies that tests and the benchmark send through the public API. Everything in them is fictional and
 * made of codes: no names of real people, no free text about anyone.
 */
public final class Fixtures {

    private Fixtures() {}

    /** An organisation's profile for {@code POST /api/v1/organisations} (registry-service). */
    public static String organisationProfile(String name, String country) {
        return """
                {"name":"%s","description":"Fictional test organisation","country":"%s",
                 "services":["SAFE_ACCOMMODATION","PSYCHOLOGICAL_SUPPORT"],"languages":["eng","pcm"],
                 "eligibility":{"womenOnly":true,"acceptsMinors":false,"minAge":18,"maxAge":null,"acceptsWomenWithChildren":true},
                 "capacity":{"available":2,"maximum":10,"unit":"BEDS"}}""".formatted(name, country);
    }

    /**
     * A referral for {@code POST /api/v1/referrals} (referral-service) with a consent, valid for 60 days, that covers
     * the referral and a case transfer of the IDENTITY and CHILDREN categories. Only codes, no survivor data.
     */
    public static String referral(String receiverOrganisationId) {
        return """
                {"receiverOrganisationId":"%s",
                 "summary":{"urgency":"EMERGENCY","requestedServices":["SAFE_ACCOMMODATION"],"languages":["pcm"],
                            "ageBand":"AGE_18_24","accompanyingChildren":["UNDER_1"],"safetyRisk":"CRITICAL"},
                 "stage":"FIRST_ASSISTANCE",
                 "consent":{"purposes":["REFERRAL","CASE_TRANSFER"],"dataCategories":["IDENTITY","CHILDREN"],
                            "givenAt":"%s","expiresAt":"%s","formLanguage":"pcm","formVersion":"2026-1",
                            "interpreterPresent":true,"method":"SIGNED_FORM"}}""".formatted(
                        receiverOrganisationId,
                        Instant.now().minusSeconds(600),
                        Instant.now().plus(Duration.ofDays(60)));
    }
}
