package org.tandem.e2e;

import io.restassured.http.ContentType;

import org.tandem.testing.Fixtures;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RunningServices;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** How the end-to-end tests make a test organisation a member of the network and give it a webhook endpoint. */
final class Members {

    private Members() {}

    /** Its org-admin applies with a test profile, and the coordinator approves it. */
    static void join(RunningServices services, KeycloakRealm realm, TestOrganisation org, String name) {
        apply(services, org, Fixtures.organisationProfile(name, org.country()));
        approve(services, realm, org);
    }

    /** Its org-admin applies for membership with {@code profile} (the registry's JSON profile). */
    static void apply(RunningServices services, TestOrganisation org, String profile) {
        given().baseUri(services.registryUrl())
                .auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body(profile)
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(201);
    }

    /** The coordinator approves its application. */
    static void approve(RunningServices services, KeycloakRealm realm, TestOrganisation org) {
        given().baseUri(services.registryUrl())
                .auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .post("/api/v1/organisations/{id}/approval", org.id())
                .then()
                .statusCode(200)
                .body("membershipStatus", equalTo("APPROVED"));
    }

    /** A webhook endpoint as registered: its id and its signing secret. */
    record Endpoint(String id, String secret) {}

    /** A webhook endpoint for every event type at {@code receiver}'s path {@code /tandem}. */
    static Endpoint subscribe(RunningServices services, TestOrganisation org, WebhookReceiver receiver) {
        return subscribe(services, org, receiver.url("/tandem"));
    }

    /** A webhook endpoint for every event type at {@code url}. */
    static Endpoint subscribe(RunningServices services, TestOrganisation org, String url) {
        var answer = given().baseUri(services.notificationUrl())
                .auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\",\"eventTypes\":[\"*\"]}")
                .when()
                .post("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Endpoint(answer.getString("id"), answer.getString("secret"));
    }
}
