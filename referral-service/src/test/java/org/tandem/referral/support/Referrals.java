package org.tandem.referral.support;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Request bodies and steps the referral-service tests share. */
public final class Referrals {

    private Referrals() {}

    public static String consent(UUID recipient, Instant expiresAt) {
        return """
                {"recipients":["%s"],"purposes":["REFERRAL","CASE_TRANSFER"],"dataCategories":["IDENTITY","HEALTH","CHILDREN"],
                 "givenAt":"%s","expiresAt":"%s","formLanguage":"pcm","formVersion":"2026-1","interpreterPresent":true,
                 "method":"SIGNED_FORM"}""".formatted(recipient, Instant.now().minusSeconds(3600), expiresAt);
    }

    public static String validConsent(UUID recipient) {
        return consent(recipient, Instant.now().plus(Duration.ofDays(30)));
    }

    public static String referral(UUID receiverId, String urgency, String consentJson) {
        return """
                {"receiverOrganisationId":"%s",
                 "summary":{"urgency":"%s","requestedServices":["SAFE_ACCOMMODATION","LEGAL_ASSISTANCE"],"languages":["pcm","bin"],
                            "ageBand":"AGE_25_34","accompanyingChildren":["AGE_1_5"],"safetyRisk":"HIGH"},
                 "stage":"FIRST_ASSISTANCE"%s}""".formatted(receiverId, urgency, consentJson == null ? "" : ",\"consent\":" + consentJson);
    }

    /** Creates a draft from {@code sender} to {@code receiver} with valid consent; waits for the read model. */
    public static String draft(TestOrganisation sender, TestOrganisation receiver, String urgency) {
        return draft(sender, referral(receiver.id(), urgency, validConsent(receiver.id())));
    }

    /**
     * Creates a draft from {@code body}, retrying until the organisations have reached the read model; a 400 fails
     * at once, as the test's body is wrong.
     */
    public static String draft(TestOrganisation sender, String body) {
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    var r = create(sender.caseworkerToken(), body).extract();
                    if (r.statusCode() == 400) {
                        throw new AssertionError("the test's referral is not valid: " + r.asString());
                    }
                    id[0] = r.statusCode() == 201 ? r.jsonPath().getString("id") : null;
                    return id[0] != null;
                });
        return id[0];
    }

    /** POST /api/v1/referrals with {@code token} and the JSON {@code body}. */
    public static ValidatableResponse create(String token, String body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/referrals")
                .then();
    }

    /** GET /api/v1/referrals/{id} with {@code token}. */
    public static ValidatableResponse read(String token, Object id) {
        return get(token, "/api/v1/referrals/{id}", id);
    }

    /** GET /api/v1/referrals/{id}/timeline with {@code token}. */
    public static ValidatableResponse timeline(String token, Object id) {
        return get(token, "/api/v1/referrals/{id}/timeline", id);
    }

    /** GET /api/v1/audit/verification with {@code token}: whether the audit log's chain holds. */
    public static ValidatableResponse auditVerification(String token) {
        return get(token, "/api/v1/audit/verification");
    }

    private static ValidatableResponse get(String token, String path, Object... pathParams) {
        return given().auth().oauth2(token).when().get(path, pathParams).then();
    }

    public static ValidatableResponse post(String token, String path, Object id) {
        return given().auth()
                .oauth2(token)
                .when()
                .post("/api/v1/referrals/{id}/" + path, id)
                .then();
    }

    public static ValidatableResponse post(String token, String path, Object id, String json) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(json)
                .when()
                .post("/api/v1/referrals/{id}/" + path, id)
                .then();
    }

    /** Draft → submitted → acknowledged → accepted. */
    public static String accepted(TestOrganisation sender, TestOrganisation receiver, String urgency) {
        String id = draft(sender, receiver, urgency);
        throughAcceptance(sender, receiver, id);
        return id;
    }

    /** The sender's caseworker submits the draft {@code id}, the receiver's acknowledges and accepts it; each 200. */
    public static void throughAcceptance(TestOrganisation sender, TestOrganisation receiver, Object id) {
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
        post(receiver.caseworkerToken(), "acceptance", id).statusCode(200);
    }

    /** {@code org}'s caseworker refers the accepted {@code from} onward with {@code json}; 201, the new referral's id. */
    public static UUID referredOnward(TestOrganisation org, Object from, String json) {
        return UUID.fromString(post(org.caseworkerToken(), "onward-referral", from, json)
                .statusCode(201)
                .extract()
                .path("id"));
    }
}
