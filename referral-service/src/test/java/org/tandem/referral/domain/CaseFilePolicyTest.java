package org.tandem.referral.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CaseFilePolicyTest {

    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    static final UUID SENDER = UUID.randomUUID();
    static final UUID RECEIVER = UUID.randomUUID();

    static Consent consent(Set<Consent.Purpose> purposes, Instant expires) {
        return new Consent(
                Set.of(RECEIVER),
                purposes,
                EnumSet.of(Consent.DataCategory.HEALTH, Consent.DataCategory.IDENTITY),
                NOW.minus(Duration.ofDays(1)),
                expires,
                "eng",
                "2026-1",
                false,
                Consent.Method.SIGNED_FORM,
                "subject",
                null);
    }

    static Referral.Accepted accepted(Consent c) {
        var facts = new ReferralFacts(
                UUID.randomUUID(),
                new Parties(SENDER, "GR", RECEIVER, "IE"),
                new Summary(
                        Urgency.ROUTINE,
                        EnumSet.of(RequestedService.SAFE_ACCOMMODATION),
                        List.of("eng"),
                        AgeBand.AGE_25_34,
                        List.of(),
                        SafetyRisk.LOW,
                        null,
                        null),
                NOW.minus(Duration.ofHours(2)),
                "subject",
                null,
                PathwayStep.first(Stage.FIRST_ASSISTANCE, null, null));
        Map<Urgency, Duration> days = Map.of(
                Urgency.EMERGENCY,
                Duration.ofDays(1),
                Urgency.URGENT,
                Duration.ofDays(2),
                Urgency.ROUTINE,
                Duration.ofDays(3));
        var policy = new DeadlinePolicy(days, days);
        Referral.Submitted submitted =
                Referral.Draft.create(facts).recordConsent(c).submit(policy, NOW.minus(Duration.ofHours(1)));
        return submitted.acknowledge(policy, NOW.minusSeconds(600)).accept(NOW.minusSeconds(60));
    }

    @Test
    void an_accepted_referral_releases_within_consent_and_a_withdrawn_one_is_shredded() {
        var ok = accepted(consent(EnumSet.allOf(Consent.Purpose.class), NOW.plus(Duration.ofDays(30))));
        assertThat(CaseFilePolicy.releaseRefusal(ok)).isEmpty();
        assertThat(CaseFilePolicy.uploadRefusal(ok)).isEmpty();
        assertThat(CaseFilePolicy.consentRefusal(ok, EnumSet.of(Consent.DataCategory.HEALTH), NOW))
                .isEmpty();
        assertThat(CaseFilePolicy.consentRefusal(ok, EnumSet.of(Consent.DataCategory.DOCUMENTS), NOW))
                .get()
                .asString()
                .contains("DOCUMENTS");
        assertThat(CaseFilePolicy.consentRefusal(
                        ok, EnumSet.of(Consent.DataCategory.HEALTH), NOW.plus(Duration.ofDays(31))))
                .get()
                .asString()
                .contains("expired");
        assertThat(CaseFilePolicy.mustShred(ok)).isFalse();

        Referral.Withdrawn withdrawn = ok.withdraw(NOW);
        assertThat(CaseFilePolicy.mustShred(withdrawn)).isTrue();
        assertThat(CaseFilePolicy.releaseRefusal(withdrawn)).isPresent();
        assertThat(CaseFilePolicy.uploadRefusal(withdrawn)).isPresent();
        assertThat(CaseFilePolicy.receiptOwed(withdrawn, true)).isTrue();
        assertThat(CaseFilePolicy.receiptOwed(withdrawn, false)).isFalse();
    }

    @Test
    void a_consent_without_case_transfer_covers_no_file() {
        var referralOnly = accepted(consent(EnumSet.of(Consent.Purpose.REFERRAL), NOW.plus(Duration.ofDays(30))));
        assertThat(CaseFilePolicy.consentRefusal(referralOnly, EnumSet.of(Consent.DataCategory.HEALTH), NOW))
                .get()
                .asString()
                .contains("CASE_TRANSFER");
    }
}
