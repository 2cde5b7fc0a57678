package org.tandem.referral.support;

import io.restassured.response.ValidatableResponse;

import static io.restassured.RestAssured.given;

/** The coordinator views' requests the referral-service tests share. */
public final class Coordination {

    private Coordination() {}

    /** GET /api/v1/coordination/statistics?period={@code period} with {@code token}. */
    public static ValidatableResponse statistics(String token, String period) {
        return given().auth()
                .oauth2(token)
                .queryParam("period", period)
                .when()
                .get("/api/v1/coordination/statistics")
                .then();
    }
}
