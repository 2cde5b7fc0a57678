package org.tandem.referral.rest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.hibernate.Hibernate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.referral.ReferralCompleted;
import org.tandem.events.referral.ReferralStarted;
import org.tandem.events.referral.ReferralStatus;
import org.tandem.events.referral.ReferralSubmitted;
import org.tandem.events.referral.ReferralWithdrawn;
import org.tandem.referral.persistence.ConsentEntity;
import org.tandem.referral.persistence.ReferralEntity;
import org.tandem.referral.service.ReferralTransitioned;
import org.tandem.referral.support.Network;
import org.tandem.referral.support.Referrals;
import org.tandem.testing.EventTopicReader;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.tandem.referral.support.Referrals.accepted;
import static org.tandem.referral.support.Referrals.draft;
import static org.tandem.referral.support.Referrals.post;
import static org.tandem.referral.support.Referrals.validConsent;

/** The rest of the lifecycle: start, completion, withdrawal of consent, redirect, and each referral's timeline. */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class LifecycleApiTest {

    static Network network;
    static EventTopicReader events;
    static TestOrganisation sender;
    static TestOrganisation receiver;
    static TestOrganisation other;

    /** Records the in-transaction hook that case-file custody observes, to prove that withdrawal fires it. */
    @Singleton
    static class TransitionSpy {
        static final List<ReferralTransitioned> SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();

        void on(@Observes ReferralTransitioned t) {
            SEEN.add(t);
        }
    }

    @BeforeAll
    static void organisations() {
        events = new EventTopicReader(Topics.REFERRALS);
        network = Network.of("NL", "ES", "AT");
        sender = network.get(0);
        receiver = network.get(1);
        other = network.get(2);
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
        if (events != null) {
            events.close();
        }
    }

    @Test
    void the_receiver_starts_and_completes_and_the_sender_sees_the_outcome_but_events_carry_only_the_code() {
        String id = accepted(sender, receiver, "ROUTINE");
        post(sender.caseworkerToken(), "start", id).statusCode(403);
        post(receiver.caseworkerToken(), "completion", id, "{\"outcome\":\"SERVICES_PROVIDED\"}")
                .statusCode(409)
                .body("type", equalTo("urn:problem-type:tandem:illegal-transition"));
        post(receiver.caseworkerToken(), "start", id)
                .statusCode(200)
                .body("status", equalTo("IN_PROGRESS"))
                .body("timeline.startedAt", notNullValue());
        post(receiver.caseworkerToken(), "completion", id, "{\"outcome\":\"FINISHED\"}")
                .statusCode(400)
                .body("errors[0].field", equalTo("outcome"));
        post(receiver.caseworkerToken(), "completion", id, "{}")
                .statusCode(400)
                .body("errors[0].field", equalTo("outcome"));
        post(
                        receiver.caseworkerToken(),
                        "completion",
                        id,
                        "{\"outcome\":\"PARTIALLY_PROVIDED\",\"note\":\"" + "x".repeat(501) + "\"}")
                .statusCode(400)
                .body("errors[0].field", equalTo("note"));
        post(
                        receiver.caseworkerToken(),
                        "completion",
                        id,
                        "{\"outcome\":\"PARTIALLY_PROVIDED\",\"note\":\"Housing arranged; legal advice continues elsewhere\"}")
                .statusCode(200)
                .body("status", equalTo("COMPLETED"));

        Referrals.read(sender.caseworkerToken(), id)
                .statusCode(200)
                .body("outcome.outcome", equalTo("PARTIALLY_PROVIDED"))
                .body("outcome.note", equalTo("Housing arranged; legal advice continues elsewhere"))
                .body("timeline.closedAt", notNullValue());
        events.awaitOne(
                ReferralStarted.class, e -> e.getReferral().getReferralId().equals(id), Duration.ofSeconds(30));
        var completed = events.await(
                        ReferralCompleted.class,
                        e -> e.getReferral().getReferralId().equals(id),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(completed.value().getOutcome().name()).isEqualTo("PARTIALLY_PROVIDED");
        assertThat(completed.value().toString()).doesNotContain("Housing");
        post(receiver.caseworkerToken(), "start", id).statusCode(409);
    }

    @Test
    void a_referral_is_read_with_its_consent_by_one_statement() {
        UUID id = UUID.fromString(draft(sender, receiver, "ROUTINE"));
        QuarkusTransaction.requiringNew().run(() -> {
            ReferralEntity e = ReferralEntity.findWithConsent(id);
            assertThat(e).isNotNull();
            assertThat(e.id).isEqualTo(id);
            // in the session already: a reference to it is the loaded entity, not a proxy that would ask the database
            var consent = ConsentEntity.getEntityManager().getReference(ConsentEntity.class, id);
            assertThat(Hibernate.isInitialized(consent)).isTrue();
        });
        QuarkusTransaction.requiringNew()
                .run(() -> assertThat(ReferralEntity.findWithConsent(UUID.randomUUID()))
                        .isNull());
    }

    @Test
    void the_timeline_shows_each_step_with_its_side_and_code_to_both_parties_and_no_notes() {
        String id = draft(sender, receiver, "URGENT");
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
        post(receiver.caseworkerToken(), "decline", id, "{\"reason\":\"NO_CAPACITY\",\"note\":\"Full until spring\"}")
                .statusCode(200);
        for (String token : List.of(sender.caseworkerToken(), receiver.integrationToken())) {
            var timeline = Referrals.timeline(token, id).statusCode(200).extract();
            assertThat(timeline.jsonPath().getList("step", String.class))
                    .containsExactly("CREATED", "CONSENT_RECORDED", "SUBMITTED", "ACKNOWLEDGED", "DECLINED");
            assertThat(timeline.jsonPath().getList("by", String.class))
                    .containsExactly("SENDER", "SENDER", "SENDER", "RECEIVER", "RECEIVER");
            assertThat(timeline.jsonPath().getString("[4].code")).isEqualTo("NO_CAPACITY");
            assertThat(timeline.asString()).doesNotContain("spring");
        }
        Referrals.timeline(other.caseworkerToken(), id).statusCode(404).contentType("application/problem+json");
    }

    @Test
    void withdrawal_of_consent_closes_the_referral_from_either_side_fires_the_custody_hook_and_is_published() {
        String id = accepted(sender, receiver, "URGENT");
        TransitionSpy.SEEN.clear();
        post(other.caseworkerToken(), "withdrawal", id).statusCode(404);
        String etag = Referrals.read(receiver.caseworkerToken(), id)
                .statusCode(200)
                .extract()
                .header("ETag");
        given().auth()
                .oauth2(receiver.caseworkerToken())
                .header("If-Match", "\"1\"")
                .when()
                .post("/api/v1/referrals/{id}/withdrawal", id)
                .then()
                .statusCode(412);
        given().auth()
                .oauth2(receiver.caseworkerToken())
                .header("If-Match", etag)
                .when()
                .post("/api/v1/referrals/{id}/withdrawal", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("WITHDRAWN"));
        Referrals.read(sender.caseworkerToken(), id)
                .statusCode(200)
                .body("status", equalTo("WITHDRAWN"))
                .body("consent.withdrawnAt", notNullValue());
        assertThat(TransitionSpy.SEEN).anySatisfy(t -> {
            assertThat(t.referral().id().toString()).isEqualTo(id);
            assertThat(t.from().name()).isEqualTo("ACCEPTED");
            assertThat(t.referral().status().name()).isEqualTo("WITHDRAWN");
        });
        var withdrawn = events.await(
                        ReferralWithdrawn.class,
                        e -> e.getReferral().getReferralId().equals(id),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(withdrawn.key()).isEqualTo(id);
        assertThat(withdrawn.value().getPreviousStatus()).isEqualTo(ReferralStatus.ACCEPTED);
        // terminal: nothing more can happen, not even a second withdrawal
        post(sender.caseworkerToken(), "withdrawal", id).statusCode(409);
        post(receiver.caseworkerToken(), "start", id).statusCode(409);

        // the sender can record it too, before the receiver has even acknowledged
        String early = draft(sender, receiver, "ROUTINE");
        post(sender.caseworkerToken(), "submission", early).statusCode(200);
        post(sender.caseworkerToken(), "withdrawal", early).statusCode(200).body("status", equalTo("WITHDRAWN"));
        post(receiver.caseworkerToken(), "acknowledgement", early).statusCode(409);
    }

    @Test
    void a_declined_referral_is_redirected_to_another_organisation_as_a_new_linked_referral_without_retyping() {
        String id = draft(sender, receiver, "URGENT");
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        post(sender.caseworkerToken(), "redirection", id, "{\"receiverOrganisationId\":\"" + other.id() + "\"}")
                .statusCode(409);
        post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
        post(receiver.caseworkerToken(), "decline", id, "{\"reason\":\"LANGUAGE_NOT_SUPPORTED\"}")
                .statusCode(200);

        post(receiver.caseworkerToken(), "redirection", id, "{\"receiverOrganisationId\":\"" + other.id() + "\"}")
                .statusCode(403);
        post(sender.caseworkerToken(), "redirection", id, "{\"receiverOrganisationId\":\"" + receiver.id() + "\"}")
                .statusCode(400)
                .body("errors[0].field", equalTo("receiverOrganisationId"));
        post(sender.caseworkerToken(), "redirection", id, "{\"receiverOrganisationId\":\"" + UUID.randomUUID() + "\"}")
                .statusCode(422)
                .body("errors[0].field", equalTo("receiverOrganisationId"));
        post(sender.caseworkerToken(), "redirection", id, "{}")
                .statusCode(400)
                .body("errors[0].field", equalTo("receiverOrganisationId"));

        // the original consent names only the first receiver: the new draft has none, so it cannot be submitted yet
        var created = given().auth()
                .oauth2(sender.caseworkerToken())
                .contentType(ContentType.JSON)
                .body("{\"receiverOrganisationId\":\"" + other.id() + "\"}")
                .when()
                .post("/api/v1/referrals/{id}/redirection", id)
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/referrals/"))
                .body("status", equalTo("DRAFT"))
                .body("redirectedFrom", equalTo(id))
                .body("receiverOrganisationId", equalTo(other.id().toString()))
                .body("receiverCountry", equalTo("AT"))
                .body("summary.urgency", equalTo("URGENT"))
                .body("summary.languages", equalTo(List.of("pcm", "bin")))
                .body("summary.safetyRisk", equalTo("HIGH"))
                .body("$", not(hasKey("consent")))
                .extract()
                .jsonPath();
        String next = created.getString("id");
        post(sender.caseworkerToken(), "redirection", id, "{\"receiverOrganisationId\":\"" + other.id() + "\"}")
                .statusCode(409)
                .body("type", equalTo("urn:problem-type:tandem:already-redirected"));
        post(sender.caseworkerToken(), "submission", next)
                .statusCode(422)
                .body("type", equalTo("urn:problem-type:tandem:consent-required"));
        given().auth()
                .oauth2(sender.caseworkerToken())
                .contentType(ContentType.JSON)
                .body(validConsent(other.id()))
                .when()
                .put("/api/v1/referrals/{id}/consent", next)
                .then()
                .statusCode(200);
        post(sender.caseworkerToken(), "submission", next).statusCode(200).body("status", equalTo("SUBMITTED"));
        var submitted = events.await(
                        ReferralSubmitted.class,
                        e -> e.getReferral().getReferralId().equals(next),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(submitted.value().getRedirectedFromReferralId()).isEqualTo(id);

        // the declined one stays declined, and both timelines point at each other
        Referrals.read(sender.caseworkerToken(), id).body("status", equalTo("DECLINED"));
        var oldTimeline = Referrals.timeline(sender.caseworkerToken(), id)
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(oldTimeline.getList("", Map.class)).last().satisfies(step -> {
            assertThat(step.get("step")).isEqualTo("REDIRECTED");
            assertThat(step.get("linkedReferralId")).isEqualTo(next);
        });
        Referrals.timeline(sender.caseworkerToken(), next)
                .statusCode(200)
                .body("[0].step", equalTo("CREATED"))
                .body("[0].linkedReferralId", equalTo(id));
        // the first receiver never sees where the survivor went next
        Referrals.read(receiver.caseworkerToken(), next).statusCode(404);
    }

    @Test
    void a_redirect_carries_the_consent_when_it_already_names_the_new_organisation() {
        String consent = """
                {"recipients":["%s","%s"],"purposes":["REFERRAL"],"dataCategories":[],
                 "givenAt":"%s","expiresAt":"%s","formLanguage":"ukr","formVersion":"2026-1","interpreterPresent":false,
                 "method":"VERBAL_WITNESSED"}""".formatted(
                        receiver.id(),
                        other.id(),
                        java.time.Instant.now().minusSeconds(60),
                        java.time.Instant.now().plus(Duration.ofDays(10)));
        String id = draft(sender, org.tandem.referral.support.Referrals.referral(receiver.id(), "EMERGENCY", consent));
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
        post(receiver.caseworkerToken(), "decline", id, "{\"reason\":\"NO_CAPACITY\"}")
                .statusCode(200);
        String next = post(
                        sender.caseworkerToken(),
                        "redirection",
                        id,
                        "{\"receiverOrganisationId\":\"" + other.id() + "\"}")
                .statusCode(201)
                .body("consent.formLanguage", equalTo("ukr"))
                .extract()
                .jsonPath()
                .getString("id");
        post(sender.caseworkerToken(), "submission", next).statusCode(200);
    }

    @Test
    void the_sender_cancels_before_acceptance_but_not_after() {
        String before = draft(sender, receiver, "ROUTINE");
        post(sender.caseworkerToken(), "submission", before).statusCode(200);
        post(receiver.caseworkerToken(), "cancellation", before).statusCode(403);
        post(sender.caseworkerToken(), "cancellation", before).statusCode(200).body("status", equalTo("CANCELLED"));
        String after = accepted(sender, receiver, "ROUTINE");
        post(sender.caseworkerToken(), "cancellation", after)
                .statusCode(409)
                .body("detail", containsString("ACCEPTED"));
    }
}
