package org.tandem.referral.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReferralLifecycleTest {

    static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    static final UUID SENDER = UUID.randomUUID();
    static final UUID RECEIVER = UUID.randomUUID();
    static final DeadlinePolicy DEADLINES = new DeadlinePolicy(
            Map.of(
                    Urgency.EMERGENCY,
                    Duration.ofHours(2),
                    Urgency.URGENT,
                    Duration.ofHours(24),
                    Urgency.ROUTINE,
                    Duration.ofHours(72)),
            Map.of(
                    Urgency.EMERGENCY,
                    Duration.ofHours(12),
                    Urgency.URGENT,
                    Duration.ofHours(72),
                    Urgency.ROUTINE,
                    Duration.ofDays(7)));

    static Referral.Draft draft(Urgency urgency) {
        var summary = new Summary(
                urgency,
                Set.of(RequestedService.SAFE_ACCOMMODATION),
                List.of("pcm"),
                AgeBand.AGE_25_34,
                List.of(ChildAgeBand.AGE_1_5),
                SafetyRisk.HIGH,
                null,
                null);
        return Referral.Draft.create(new ReferralFacts(
                UUID.randomUUID(),
                new Parties(SENDER, "CY", RECEIVER, "DE"),
                summary,
                T0,
                "cw-1",
                null,
                PathwayStep.first(Stage.FIRST_ASSISTANCE, null, null)));
    }

    static Consent consent(Set<UUID> recipients, Instant expiresAt) {
        return new Consent(
                recipients,
                Set.of(Consent.Purpose.REFERRAL, Consent.Purpose.CASE_TRANSFER),
                Set.of(Consent.DataCategory.IDENTITY, Consent.DataCategory.HEALTH),
                T0.minusSeconds(3600),
                expiresAt,
                "pcm",
                "2026-1",
                true,
                Consent.Method.SIGNED_FORM,
                "cw-1",
                null);
    }

    @Test
    void the_happy_path_sets_deadlines_by_urgency_and_records_each_step() {
        var submitted = draft(Urgency.EMERGENCY)
                .recordConsent(consent(Set.of(RECEIVER), T0.plus(Duration.ofDays(90))))
                .submit(DEADLINES, T0);
        assertThat(submitted.timeline().acknowledgeBy()).isEqualTo(T0.plus(Duration.ofHours(2)));
        var acknowledged = submitted.acknowledge(DEADLINES, T0.plusSeconds(600));
        assertThat(acknowledged.timeline().decideBy())
                .isEqualTo(T0.plusSeconds(600).plus(Duration.ofHours(12)));
        var accepted = acknowledged.accept(T0.plusSeconds(1200));
        var completed =
                accepted.start(T0.plusSeconds(1800)).complete(Outcome.SERVICES_PROVIDED, null, T0.plusSeconds(86_400));
        assertThat(completed.status()).isEqualTo(Referral.Status.COMPLETED);
        assertThat(completed.timeline().submittedAt()).isEqualTo(T0);
        assertThat(completed.timeline().closedAt()).isEqualTo(T0.plusSeconds(86_400));
    }

    @Test
    void a_draft_without_consent_cannot_be_submitted() {
        assertThatThrownBy(() -> draft(Urgency.URGENT).submit(DEADLINES, T0))
                .isInstanceOf(ReferralException.ConsentRequired.class)
                .hasMessageContaining("must be recorded");
    }

    @Test
    void consent_must_name_the_receiver_and_be_unexpired_and_not_withdrawn() {
        UUID someoneElse = UUID.randomUUID();
        assertThatThrownBy(() -> draft(Urgency.URGENT)
                        .recordConsent(consent(Set.of(someoneElse), T0.plusSeconds(86_400)))
                        .submit(DEADLINES, T0))
                .hasMessageContaining("does not name the receiving organisation");
        assertThatThrownBy(() -> draft(Urgency.URGENT)
                        .recordConsent(consent(Set.of(RECEIVER), T0.minusSeconds(1)))
                        .submit(DEADLINES, T0))
                .isInstanceOf(ReferralException.ConsentRequired.class);
        var withdrawn = consent(Set.of(RECEIVER), T0.plusSeconds(86_400)).withdraw(T0.minusSeconds(10));
        assertThat(withdrawn.refusal(RECEIVER, Consent.Purpose.REFERRAL, Set.of(), T0))
                .hasValueSatisfying(r -> assertThat(r).contains("withdrawn"));
    }

    @Test
    void consent_covers_only_its_data_categories_and_purposes() {
        var c = new Consent(
                Set.of(RECEIVER),
                Set.of(Consent.Purpose.REFERRAL),
                Set.of(Consent.DataCategory.IDENTITY),
                T0,
                T0.plusSeconds(3600),
                "eng",
                "1",
                false,
                Consent.Method.VERBAL_WITNESSED,
                "cw",
                null);
        assertThat(c.refusal(RECEIVER, Consent.Purpose.CASE_TRANSFER, Set.of(), T0.plusSeconds(1)))
                .isPresent();
        assertThat(c.refusal(
                        RECEIVER, Consent.Purpose.REFERRAL, Set.of(Consent.DataCategory.HEALTH), T0.plusSeconds(1)))
                .hasValueSatisfying(r -> assertThat(r).contains("HEALTH"));
        assertThat(c.refusal(
                        RECEIVER, Consent.Purpose.REFERRAL, Set.of(Consent.DataCategory.IDENTITY), T0.plusSeconds(1)))
                .isEmpty();
        assertThatThrownBy(() -> new Consent(
                        Set.of(RECEIVER),
                        Set.of(Consent.Purpose.REFERRAL),
                        Set.of(),
                        T0,
                        T0,
                        "eng",
                        "1",
                        false,
                        Consent.Method.SIGNED_FORM,
                        "cw",
                        null))
                .hasMessageContaining("must be after givenAt");
    }

    @Test
    void cancellation_and_withdrawal_remember_where_they_came_from() {
        var submitted = draft(Urgency.ROUTINE)
                .recordConsent(consent(Set.of(RECEIVER), T0.plusSeconds(86_400)))
                .submit(DEADLINES, T0);
        var cancelled = submitted.cancel(T0.plusSeconds(5));
        assertThat(cancelled.from()).isEqualTo(Referral.Status.SUBMITTED);
        var withdrawn = submitted
                .acknowledge(DEADLINES, T0.plusSeconds(1))
                .accept(T0.plusSeconds(2))
                .withdraw(T0.plusSeconds(3));
        assertThat(withdrawn.from()).isEqualTo(Referral.Status.ACCEPTED);
        assertThat(withdrawn.consent())
                .hasValueSatisfying(c -> assertThat(c.isWithdrawn()).isTrue());
    }

    @Test
    void a_referral_cannot_go_to_its_own_sender() {
        assertThatThrownBy(() -> new Parties(SENDER, "CY", SENDER, "CY"))
                .isInstanceOf(ReferralException.InvalidField.class);
    }

    @Test
    void a_decline_needs_a_reason_code() {
        var acknowledged = draft(Urgency.URGENT)
                .recordConsent(consent(Set.of(RECEIVER), T0.plusSeconds(86_400)))
                .submit(DEADLINES, T0)
                .acknowledge(DEADLINES, T0.plusSeconds(1));
        assertThatThrownBy(() -> acknowledged.decline(null, "no", T0.plusSeconds(2)))
                .isInstanceOf(ReferralException.InvalidField.class);
        assertThat(acknowledged
                        .decline(DeclineReason.NO_CAPACITY, null, T0.plusSeconds(2))
                        .reason())
                .isEqualTo(DeclineReason.NO_CAPACITY);
    }

    @Test
    void a_declined_referral_redirects_as_a_new_linked_draft_with_the_same_summary() {
        UUID next = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        var declined = draft(Urgency.URGENT)
                .recordConsent(consent(Set.of(RECEIVER, other), T0.plusSeconds(86_400)))
                .submit(DEADLINES, T0)
                .acknowledge(DEADLINES, T0.plusSeconds(1))
                .decline(DeclineReason.NO_CAPACITY, null, T0.plusSeconds(2));
        var redirected = declined.redirect(UUID.randomUUID(), other, "IT", "cw-2", T0.plusSeconds(3));
        assertThat(redirected.status()).isEqualTo(Referral.Status.DRAFT);
        assertThat(redirected.facts().redirectedFrom()).isEqualTo(declined.id());
        assertThat(redirected.facts().summary()).isEqualTo(declined.facts().summary());
        assertThat(redirected.parties().sender()).isEqualTo(SENDER);
        assertThat(redirected.parties().receiverCountry()).isEqualTo("IT");
        assertThat(redirected.consent())
                .as("the consent names the new receiver, so it travels")
                .isPresent();
        // a consent that does not name the new receiver stays behind
        var narrow = draft(Urgency.URGENT)
                .recordConsent(consent(Set.of(RECEIVER), T0.plusSeconds(86_400)))
                .submit(DEADLINES, T0)
                .acknowledge(DEADLINES, T0.plusSeconds(1))
                .decline(DeclineReason.NO_CAPACITY, null, T0.plusSeconds(2));
        assertThat(narrow.redirect(next, other, "IT", "cw-2", T0.plusSeconds(3)).consent())
                .isEmpty();
        assertThatThrownBy(() -> narrow.redirect(next, RECEIVER, "DE", "cw-2", T0.plusSeconds(3)))
                .isInstanceOf(ReferralException.InvalidField.class)
                .hasMessageContaining("another organisation");
    }

    @Test
    void completion_needs_an_outcome_code() {
        var inProgress = draft(Urgency.URGENT)
                .recordConsent(consent(Set.of(RECEIVER), T0.plusSeconds(86_400)))
                .submit(DEADLINES, T0)
                .acknowledge(DEADLINES, T0.plusSeconds(1))
                .accept(T0.plusSeconds(2))
                .start(T0.plusSeconds(3));
        assertThatThrownBy(() -> inProgress.complete(null, "done", T0.plusSeconds(4)))
                .isInstanceOf(ReferralException.InvalidField.class);
        assertThat(inProgress
                        .complete(Outcome.UNABLE_TO_CONTACT, null, T0.plusSeconds(4))
                        .outcome())
                .isEqualTo(Outcome.UNABLE_TO_CONTACT);
    }
}
