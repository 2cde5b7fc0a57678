package org.tandem.referral.support;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;

/** The case-file requests the referral-service tests share: upload and fetch of a sealed JWE, and the deletion receipt. */
public final class CaseFileRequests {

    public static final String JOSE = "application/jose";

    private CaseFileRequests() {}

    /** Lets REST-Assured send a JWE (application/jose) as the text it is. */
    public static void sendJoseAsText() {
        RestAssured.config = RestAssured.config()
                .encoderConfig(EncoderConfig.encoderConfig().encodeContentTypeAs(JOSE, ContentType.TEXT));
    }

    /** {@code org}'s caseworker uploads {@code jwe} as the case file of {@code referral}. */
    public static ValidatableResponse upload(TestOrganisation org, Object referral, String jwe) {
        return given().auth()
                .oauth2(org.caseworkerToken())
                .contentType(JOSE)
                .body(jwe)
                .when()
                .post("/api/v1/referrals/{id}/case-file", referral)
                .then();
    }

    /** {@code org}'s caseworker fetches the case file of {@code referral} as a JWE (or a problem). */
    public static ValidatableResponse fetch(TestOrganisation org, Object referral) {
        return given().auth()
                .oauth2(org.caseworkerToken())
                .accept(JOSE + ", application/problem+json")
                .when()
                .get("/api/v1/referrals/{id}/case-file", referral)
                .then();
    }

    /** The holder of {@code token} posts the signed deletion receipt {@code receipt} for {@code referral}. */
    public static ValidatableResponse sendDeletionReceipt(String token, Object referral, String receipt) {
        return given().auth()
                .oauth2(token)
                .contentType(JOSE)
                .body(receipt)
                .when()
                .post("/api/v1/referrals/{id}/case-file/deletion-receipt", referral)
                .then();
    }
}
