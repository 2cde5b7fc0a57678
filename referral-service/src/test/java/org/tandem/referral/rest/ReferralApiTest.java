package org.tandem.referral.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.common.ServiceCode;
import org.tandem.events.referral.ReferralAccepted;
import org.tandem.events.referral.ReferralAcknowledged;
import org.tandem.events.referral.ReferralDeclined;
import org.tandem.events.referral.ReferralStatus;
import org.tandem.events.referral.ReferralSubmitted;
import org.tandem.referral.support.Referrals;
import org.tandem.testing.EventTopicReader;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * referral-service against real PostgreSQL, Kafka, Apicurio Registry and Keycloak. Organisations reach
 * its read model the way they do in production: as events on the organisations topic.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class ReferralApiTest {

    static KeycloakRealm realm;
    static EventTopicWriter writer;
    static EventTopicReader events;
    static TestOrganisation sender;
    static TestOrganisation receiver;
    static TestOrganisation third;

    @BeforeAll
    static void organisations() {
        realm = KeycloakRealm.get();
        writer = new EventTopicWriter();
        events = new EventTopicReader(Topics.REFERRALS);
        sender = realm.createOrganisation("CY");
        receiver = realm.createOrganisation("DE");
        third = realm.createOrganisation("IT");
        for (TestOrganisation o : List.of(sender, receiver, third)) {
            writer.approvedOrganisation(o, List.of(ServiceCode.SAFE_ACCOMMODATION, ServiceCode.LEGAL_ASSISTANCE));
        }
    }

    @AfterAll
    static void close() {
        writer.close();
        events.close();
    }

    static String consent(UUID recipient, Instant expiresAt) {
        return """
                {"recipients":["%s"],"purposes":["REFERRAL","CASE_TRANSFER"],"dataCategories":["IDENTITY","HEALTH","CHILDREN"],
                 "givenAt":"%s","expiresAt":"%s","formLanguage":"pcm","formVersion":"2026-1","interpreterPresent":true,
                 "method":"SIGNED_FORM"}""".formatted(recipient, Instant.now().minusSeconds(3600), expiresAt);
    }

    static String referral(UUID receiverId, String consentJson) {
        return """
                {"receiverOrganisationId":"%s",
                 "summary":{"urgency":"URGENT","requestedServices":["SAFE_ACCOMMODATION","LEGAL_ASSISTANCE"],"languages":["pcm","bin"],
                            "ageBand":"AGE_25_34","accompanyingChildren":["AGE_1_5","AGE_6_11"],"safetyRisk":"HIGH",
                            "arrivalEarliest":"2026-12-01","arrivalLatest":"2026-12-15"},
                 "stage":"FIRST_ASSISTANCE"%s}""".formatted(receiverId, consentJson == null ? "" : ",\"consent\":" + consentJson);
    }

    /** Creates a draft; waits until the organisations have reached the read model. */
    static String createDraft(String body) {
        return org.tandem.referral.support.Referrals.draft(sender, body);
    }

    static ValidatableResponse post(String token, String path, Object id) {
        return given().auth()
                .oauth2(token)
                .when()
                .post("/api/v1/referrals/{id}/" + path, id)
                .then();
    }

    @Test
    void a_referral_travels_from_draft_to_accepted_and_each_step_is_published_in_order() {
        String id = createDraft(
                referral(receiver.id(), consent(receiver.id(), Instant.now().plus(Duration.ofDays(30)))));

        Referrals.read(receiver.caseworkerToken(), id).statusCode(404);
        post(sender.caseworkerToken(), "submission", id)
                .statusCode(200)
                .body("status", equalTo("SUBMITTED"))
                .body("timeline.acknowledgeBy", org.hamcrest.Matchers.notNullValue());

        Referrals.read(receiver.caseworkerToken(), id)
                .statusCode(200)
                .body("yourRole", equalTo("RECEIVER"))
                .body("summary.safetyRisk", equalTo("HIGH"))
                .body("summary.accompanyingChildren.size()", equalTo(2))
                .body("$", not(org.hamcrest.Matchers.hasKey("consent")));
        post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200).body("status", equalTo("ACKNOWLEDGED"));
        post(receiver.caseworkerToken(), "acceptance", id).statusCode(200).body("status", equalTo("ACCEPTED"));

        var submitted = events.await(
                        ReferralSubmitted.class,
                        e -> e.getReferral().getReferralId().equals(id),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(submitted.key()).isEqualTo(id);
        assertThat(submitted.value().getReferral().getSenderOrganisationId())
                .isEqualTo(sender.id().toString());
        assertThat(submitted.value().getReferral().getReceiverCountry()).isEqualTo("DE");
        assertThat(submitted.value().getSchema().getField("accompanyingChildren"))
                .as("no exact count of children")
                .isNull();
        var acknowledged = events.await(
                        ReferralAcknowledged.class,
                        e -> e.getReferral().getReferralId().equals(id),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
        var accepted = events.await(
                        ReferralAccepted.class,
                        e -> e.getReferral().getReferralId().equals(id),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(accepted.value().getReferral().getStatus()).isEqualTo(ReferralStatus.ACCEPTED);
        // one referral, one key, one partition: the offsets give the order
        assertThat(List.of(submitted.partition(), acknowledged.partition())).containsOnly(accepted.partition());
        assertThat(submitted.offset()).isLessThan(acknowledged.offset());
        assertThat(acknowledged.offset()).isLessThan(accepted.offset());
        assertThat(submitted.value().getReferral().getVersion())
                .isLessThan(accepted.value().getReferral().getVersion());
        // each carries its type in a header, so that a consumer of few types passes over the others undecoded
        for (var r : List.of(submitted, acknowledged, accepted)) {
            assertThat(r.headers().lastHeader(EventTopicWriter.EVENT_TYPE_HEADER))
                    .as("the relay's type header")
                    .isNotNull()
                    .extracting(h -> new String(h.value(), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo(r.value().getSchema().getFullName());
        }
    }

    @Test
    void a_third_organisation_gets_the_same_404_for_a_foreign_referral_as_for_a_missing_one() {
        String id = createDraft(
                referral(receiver.id(), consent(receiver.id(), Instant.now().plus(Duration.ofDays(30)))));
        post(sender.caseworkerToken(), "submission", id).statusCode(200);

        String foreign = Referrals.read(third.caseworkerToken(), id)
                .statusCode(404)
                .contentType("application/problem+json")
                .extract()
                .asString();
        String missing = Referrals.read(third.caseworkerToken(), UUID.randomUUID())
                .statusCode(404)
                .extract()
                .asString();
        assertThat(foreign).isEqualTo(missing);
        post(third.caseworkerToken(), "acceptance", id).statusCode(404);
        given().auth()
                .oauth2(third.caseworkerToken())
                .queryParam("box", "received")
                .when()
                .get("/api/v1/referrals")
                .then()
                .statusCode(200)
                .body("id", not(hasItem(id)));
        given().auth()
                .oauth2(receiver.caseworkerToken())
                .queryParam("box", "received")
                .when()
                .get("/api/v1/referrals")
                .then()
                .statusCode(200)
                .body("id", hasItem(id));
    }

    @Test
    void submission_needs_valid_consent_for_the_receiver() {
        String withoutConsent = createDraft(referral(receiver.id(), null));
        post(sender.caseworkerToken(), "submission", withoutConsent)
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:tandem:consent-required"));

        String forSomeoneElse = createDraft(
                referral(receiver.id(), consent(third.id(), Instant.now().plus(Duration.ofDays(30)))));
        post(sender.caseworkerToken(), "submission", forSomeoneElse)
                .statusCode(422)
                .body("detail", containsString("does not name the receiving organisation"));

        String expired = createDraft(
                referral(receiver.id(), consent(receiver.id(), Instant.now().minusSeconds(60))));
        post(sender.caseworkerToken(), "submission", expired).statusCode(422).body("detail", containsString("expired"));

        // recording valid consent afterwards makes the same draft submittable
        given().auth()
                .oauth2(sender.caseworkerToken())
                .contentType(ContentType.JSON)
                .body(consent(receiver.id(), Instant.now().plus(Duration.ofDays(30))))
                .when()
                .put("/api/v1/referrals/{id}/consent", withoutConsent)
                .then()
                .statusCode(200);
        post(sender.caseworkerToken(), "submission", withoutConsent).statusCode(200);
    }

    @Test
    void illegal_transitions_and_wrong_parties_are_refused() {
        String id = createDraft(
                referral(receiver.id(), consent(receiver.id(), Instant.now().plus(Duration.ofDays(30)))));
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        post(receiver.caseworkerToken(), "acceptance", id)
                .statusCode(409)
                .body("type", equalTo("urn:problem-type:tandem:illegal-transition"))
                .body("detail", containsString("SUBMITTED"));
        post(sender.caseworkerToken(), "acknowledgement", id).statusCode(403);
        post(sender.caseworkerToken(), "submission", id).statusCode(409);
        post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
        given().auth()
                .oauth2(receiver.caseworkerToken())
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"BORED\"}")
                .when()
                .post("/api/v1/referrals/{id}/decline", id)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        given().auth()
                .oauth2(receiver.caseworkerToken())
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"NO_CAPACITY\",\"note\":\"Full until January, sorry\"}")
                .when()
                .post("/api/v1/referrals/{id}/decline", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("DECLINED"));
        Referrals.read(sender.caseworkerToken(), id)
                .statusCode(200)
                .body("decline.reason", equalTo("NO_CAPACITY"))
                .body("decline.note", equalTo("Full until January, sorry"));
        var declined = events.awaitOne(
                ReferralDeclined.class, e -> e.getReferral().getReferralId().equals(id), Duration.ofSeconds(30));
        assertThat(declined.toString()).doesNotContain("January");
        post(sender.caseworkerToken(), "cancellation", id).statusCode(409);
    }

    @Test
    void bad_requests_get_problems_that_name_the_field() {
        Referrals.create(sender.caseworkerToken(), "{\"receiverOrganisationId\": ")
                .statusCode(400)
                .body("type", equalTo("urn:problem-type:tandem:malformed-json"));
        Referrals.create(sender.caseworkerToken(), referral(UUID.randomUUID(), null))
                .statusCode(422)
                .body("type", equalTo("urn:problem-type:tandem:unknown-organisation"))
                .body("errors[0].field", equalTo("receiverOrganisationId"));
        Referrals.create(sender.caseworkerToken(), referral(sender.id(), null))
                .statusCode(400)
                .body("errors[0].field", equalTo("receiverOrganisationId"));
        Referrals.create(
                        sender.caseworkerToken(),
                        referral(receiver.id(), null).replace("\"AGE_25_34\"", "\"1990-04-02\""))
                .statusCode(400)
                .body("errors[0].field", equalTo("summary.ageBand"));
        Referrals.create(
                        sender.caseworkerToken(),
                        referral(receiver.id(), null)
                                .replace("\"languages\":[\"pcm\",\"bin\"]", "\"languages\":[\"pcm\",\"xx1\"]"))
                .statusCode(400)
                .body("errors[0].field", equalTo("summary.languages[1]"));
        Referrals.read(realm.coordinatorToken(), UUID.randomUUID())
                .statusCode(403)
                .contentType("application/problem+json");
        Referrals.create(realm.tokenWithoutOrganisation("caseworker"), referral(receiver.id(), null))
                .statusCode(403)
                .body("detail", containsString("does not belong to an organisation"));
        given().when().get("/api/v1/referrals").then().statusCode(401).contentType("application/problem+json");
        given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .delete("/api/v1/referrals/{id}", UUID.randomUUID())
                .then()
                .statusCode(405)
                .contentType("application/problem+json");
    }

    @Test
    void decisions_and_denied_accesses_are_audited_in_a_chain_that_detects_tampering() throws Exception {
        String id = createDraft(
                referral(receiver.id(), consent(receiver.id(), Instant.now().plus(Duration.ofDays(30)))));
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        Referrals.read(third.caseworkerToken(), id).statusCode(404);
        var response = given().auth()
                .oauth2(receiver.adminToken())
                .when()
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract();
        var entries = response.jsonPath();
        assertThat(entries.getList("findAll { it.resourceId == '" + id + "' }.action", String.class))
                .contains("referral.submitted", "referral.access");
        assertThat(entries.getList(
                        "findAll { it.resourceId == '" + id + "' && it.action == 'referral.access' }.outcome",
                        String.class))
                .containsOnly("DENIED");
        assertThat(response.asString())
                .as("the audit log holds ids, never referral content")
                .doesNotContain("pcm")
                .doesNotContain("HIGH");
        Referrals.auditVerification(realm.coordinatorToken()).statusCode(200).body("intact", equalTo(true));

        var infra = org.tandem.testing.TestInfrastructure.endpoints();
        try (var db = java.sql.DriverManager.getConnection(
                        infra.jdbcUrl(), infra.superuser(), infra.superuserPassword());
                var st = db.createStatement()) {
            st.execute("alter table referral_audit.audit_log disable trigger audit_log_no_update");
            try {
                st.executeUpdate("update referral_audit.audit_log set outcome = 'ALLOWED' where resource_id = '" + id
                        + "' and action = 'referral.access'");
            } finally {
                st.execute("alter table referral_audit.audit_log enable trigger audit_log_no_update");
            }
            var verification = Referrals.auditVerification(realm.coordinatorToken())
                    .statusCode(200)
                    .body("intact", equalTo(false))
                    .extract()
                    .jsonPath();
            long broken = verification.getLong("firstBrokenSeq");
            // repair, so that other tests see an intact chain again
            st.execute("alter table referral_audit.audit_log disable trigger audit_log_no_update");
            try {
                st.executeUpdate("update referral_audit.audit_log set outcome = 'DENIED' where seq = " + broken);
            } finally {
                st.execute("alter table referral_audit.audit_log enable trigger audit_log_no_update");
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> st.executeUpdate("delete from referral_audit.audit_log where seq = " + broken))
                    .hasMessageContaining("append-only");
        }
        Referrals.auditVerification(realm.coordinatorToken()).statusCode(200).body("intact", equalTo(true));
    }

    @Test
    void concurrent_requests_each_leave_one_entry_in_an_intact_chain() throws Exception {
        String id = createDraft(
                referral(receiver.id(), consent(receiver.id(), Instant.now().plus(Duration.ofDays(30)))));
        int threads = 4;
        int readsEach = 10;
        var pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                calls.add(() -> {
                    int ok = 0;
                    for (int i = 0; i < readsEach; i++) {
                        ok += Referrals.read(sender.caseworkerToken(), id)
                                                .extract()
                                                .statusCode()
                                        == 200
                                ? 1
                                : 0;
                    }
                    return ok;
                });
            }
            int ok = 0;
            for (Future<Integer> f : pool.invokeAll(calls)) {
                ok += f.get();
            }
            assertThat(ok).isEqualTo(threads * readsEach);
        } finally {
            pool.shutdownNow();
        }
        // entries are chained when their transaction commits: every read has its entry, and the chain holds
        var reads = given().auth()
                .oauth2(sender.adminToken())
                .queryParam("limit", 200)
                .when()
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { it.resourceId == '" + id + "' && it.action == 'referral.read' }.seq", Long.class);
        assertThat(reads).hasSize(threads * readsEach).doesNotHaveDuplicates();
        Referrals.auditVerification(realm.coordinatorToken()).statusCode(200).body("intact", equalTo(true));
    }

    @Test
    void an_integration_client_acts_for_its_organisation() {
        String id = createDraft(
                referral(receiver.id(), consent(receiver.id(), Instant.now().plus(Duration.ofDays(30)))));
        post(sender.integrationToken(), "submission", id).statusCode(200);
        post(receiver.integrationToken(), "acknowledgement", id).statusCode(200).body("yourRole", equalTo("RECEIVER"));
    }

    @Test
    void if_match_protects_against_lost_updates_and_idempotency_keys_replay() {
        String id = createDraft(
                referral(receiver.id(), consent(receiver.id(), Instant.now().plus(Duration.ofDays(30)))));
        String etag = Referrals.read(sender.caseworkerToken(), id)
                .statusCode(200)
                .extract()
                .header("ETag");
        given().auth()
                .oauth2(sender.caseworkerToken())
                .header("If-Match", "\"999\"")
                .when()
                .post("/api/v1/referrals/{id}/submission", id)
                .then()
                .statusCode(412);
        String key = UUID.randomUUID().toString();
        var first = given().auth()
                .oauth2(sender.caseworkerToken())
                .header("If-Match", etag)
                .header("Idempotency-Key", key)
                .when()
                .post("/api/v1/referrals/{id}/submission", id)
                .then()
                .statusCode(200)
                .extract();
        var retry = given().auth()
                .oauth2(sender.caseworkerToken())
                .header("If-Match", etag)
                .header("Idempotency-Key", key)
                .when()
                .post("/api/v1/referrals/{id}/submission", id)
                .then()
                .statusCode(200)
                .header("Idempotent-Replayed", "true")
                .extract();
        assertThat(retry.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(retry.jsonPath().getString("status")).isEqualTo("SUBMITTED");
        events.await(
                ReferralSubmitted.class, e -> e.getReferral().getReferralId().equals(id), 1, Duration.ofSeconds(30));
        assertThat(events.seen().stream()
                        .filter(r -> r.value() instanceof ReferralSubmitted s
                                && s.getReferral().getReferralId().equals(id))
                        .count())
                .isEqualTo(1);
    }

    /**
     * Retries that overlap the first request (a client that gave up waiting and sent again): each gets the one
     * referral's answer, and only one referral exists. The key's row is written at the end of a request, so the
     * overlapping ones run their command too; their effects must roll back.
     */
    @Test
    void overlapping_requests_with_one_idempotency_key_create_one_referral() throws Exception {
        TestOrganisation ownSender = realm.createOrganisation("MT");
        writer.approvedOrganisation(ownSender, List.of(ServiceCode.SAFE_ACCOMMODATION));
        String body =
                referral(receiver.id(), consent(receiver.id(), Instant.now().plus(Duration.ofDays(30))));
        // the new organisation in the read model first, so that every overlapping request can succeed
        String earlier = org.tandem.referral.support.Referrals.draft(ownSender, body);
        String key = UUID.randomUUID().toString();
        int overlapping = 4;
        var pool = Executors.newFixedThreadPool(overlapping);
        List<ExtractableResponse<Response>> answers = new ArrayList<>();
        try {
            var start = new CountDownLatch(1);
            List<Callable<ExtractableResponse<Response>>> calls = new ArrayList<>();
            for (int i = 0; i < overlapping; i++) {
                calls.add(() -> {
                    start.await();
                    return given().auth()
                            .oauth2(ownSender.caseworkerToken())
                            .contentType(ContentType.JSON)
                            .header("Idempotency-Key", key)
                            .body(body)
                            .when()
                            .post("/api/v1/referrals")
                            .then()
                            .extract();
                });
            }
            List<Future<ExtractableResponse<Response>>> futures = new ArrayList<>();
            for (var call : calls) {
                futures.add(pool.submit(call));
            }
            start.countDown();
            for (var f : futures) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(201));
        assertThat(answers.stream().map(a -> a.jsonPath().getString("id")).distinct())
                .hasSize(1);
        assertThat(answers.stream().map(a -> a.header("Location")).distinct()).hasSize(1);
        assertThat(answers.stream().filter(a -> a.header("Idempotent-Replayed") == null))
                .hasSize(1);
        String id = answers.get(0).jsonPath().getString("id");
        List<String> sent = given().auth()
                .oauth2(ownSender.caseworkerToken())
                .queryParam("box", "sent")
                .queryParam("limit", 200)
                .when()
                .get("/api/v1/referrals")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id", String.class);
        assertThat(sent).containsExactlyInAnyOrder(earlier, id);
    }

    @Test
    void when_two_caseworkers_of_the_receiver_accept_at_once_exactly_one_wins() throws Exception {
        String id = createDraft(
                referral(receiver.id(), consent(receiver.id(), Instant.now().plus(Duration.ofDays(30)))));
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
        List<String> tokens = List.of(receiver.caseworkerToken(), receiver.secondCaseworkerToken());
        var pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (String token : tokens) {
                calls.add(() -> given().auth()
                        .oauth2(token)
                        .when()
                        .post("/api/v1/referrals/{id}/acceptance", id)
                        .then()
                        .extract()
                        .statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        } finally {
            pool.shutdown();
        }
        events.await(
                ReferralAccepted.class, e -> e.getReferral().getReferralId().equals(id), 1, Duration.ofSeconds(30));
        Thread.sleep(1000);
        assertThat(events.seen().stream()
                        .filter(r -> r.value() instanceof ReferralAccepted a
                                && a.getReferral().getReferralId().equals(id))
                        .count())
                .isEqualTo(1);
    }
}
