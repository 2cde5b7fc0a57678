package org.tandem.referral.mapping;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.tandem.events.referral.ReferralCancelled;
import org.tandem.events.referral.ReferralWithdrawn;
import org.tandem.referral.domain.AgeBand;
import org.tandem.referral.domain.Consent;
import org.tandem.referral.domain.DeadlinePolicy;
import org.tandem.referral.domain.Parties;
import org.tandem.referral.domain.PathwayStep;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.ReferralFacts;
import org.tandem.referral.domain.RequestedService;
import org.tandem.referral.domain.SafetyRisk;
import org.tandem.referral.domain.Stage;
import org.tandem.referral.domain.Summary;
import org.tandem.referral.domain.Urgency;

import static org.assertj.core.api.Assertions.assertThat;

/** What is announced: a receiver never hears of a draft, not even of its end. */
class ReferralEventMapperTest {

    static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    static final UUID RECEIVER = UUID.randomUUID();
    static final java.time.Duration H = java.time.Duration.ofHours(1);
    static final DeadlinePolicy DEADLINES = new DeadlinePolicy(
            java.util.Map.of(Urgency.EMERGENCY, H, Urgency.URGENT, H, Urgency.ROUTINE, H),
            java.util.Map.of(Urgency.EMERGENCY, H, Urgency.URGENT, H, Urgency.ROUTINE, H));

    static Referral.Draft draft() {
        var summary = new Summary(
                Urgency.URGENT,
                Set.of(RequestedService.PEER_SUPPORT),
                List.of(),
                AgeBand.UNKNOWN,
                List.of(),
                SafetyRisk.LOW,
                null,
                null);
        var facts = new ReferralFacts(
                UUID.randomUUID(),
                new Parties(UUID.randomUUID(), "CY", RECEIVER, "DE"),
                summary,
                T0,
                "cw",
                null,
                PathwayStep.first(Stage.FIRST_ASSISTANCE, null, null));
        return Referral.Draft.create(facts)
                .recordConsent(new Consent(
                        Set.of(RECEIVER),
                        Set.of(Consent.Purpose.REFERRAL),
                        Set.of(),
                        T0,
                        T0.plusSeconds(86_400),
                        "eng",
                        "2026-1",
                        false,
                        Consent.Method.ELECTRONIC,
                        "cw",
                        null));
    }

    @Test
    void the_end_of_a_draft_is_not_announced_but_the_end_of_a_submitted_referral_is() {
        assertThat(ReferralEventMapper.eventFor(draft().withdraw(T0.plusSeconds(1)), 2, T0))
                .isNull();
        assertThat(ReferralEventMapper.eventFor(draft().cancel(T0.plusSeconds(1)), 2, T0))
                .isNull();
        var submitted = draft().submit(DEADLINES, T0.plusSeconds(1));
        assertThat(ReferralEventMapper.eventFor(submitted.withdraw(T0.plusSeconds(2)), 3, T0))
                .isInstanceOf(ReferralWithdrawn.class);
        assertThat(ReferralEventMapper.eventFor(submitted.cancel(T0.plusSeconds(2)), 3, T0))
                .isInstanceOf(ReferralCancelled.class);
    }
}
