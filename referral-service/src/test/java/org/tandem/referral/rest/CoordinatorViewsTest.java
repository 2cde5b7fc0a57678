package org.tandem.referral.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.referral.support.Referrals.draft;
import static org.tandem.referral.support.Referrals.post;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandem.testing.KeycloakRealm;
import org.tandem.referral.support.Network;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The coordinators' statistics: counts by status, urgency, age and country pair, and response times, with
 * every cell under the threshold (5) suppressed. A country pair no other test uses, and 'since', keep the
 * counts this test's own.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class CoordinatorViewsTest {

    static Network network;
    static KeycloakRealm realm;
    static TestOrganisation sender;
    static TestOrganisation receiver;

    @BeforeAll
    static void organisations() {
        network = Network.of("LU", "IS");
        realm = network.realm;
        sender = network.get(0);
        receiver = network.get(1);
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
    }

    static JsonPath statistics(Instant since) {
        return given().auth().oauth2(realm.coordinatorToken()).queryParam("since", since.toString())
                .when().get("/api/v1/coordination/statistics").then().statusCode(200).extract().jsonPath();
    }

    static Map<String, Object> flow(JsonPath stats) {
        return stats.getMap("flows.find { it.senderCountry == 'LU' && it.receiverCountry == 'IS' }");
    }

    @Test
    void small_cells_are_suppressed_and_never_shown_as_a_number() {
        Instant since = Instant.now().minusSeconds(1);
        String draftOnly = draft(sender, receiver, "URGENT");
        assertThat(flow(statistics(since))).as("drafts are the sender's own work and are not counted").isNull();

        post(sender.caseworkerToken(), "submission", draftOnly).statusCode(200);
        JsonPath one = statistics(since);
        assertThat(one.getInt("suppressionThreshold")).isEqualTo(5);
        assertThat(flow(one)).containsEntry("suppressed", true).doesNotContainKey("count");
        assertThat(one.getList("byStatusAndUrgency.count", Object.class)).doesNotContain(1, 2, 3, 4);
        assertThat(one.getList("flows.count", Object.class)).doesNotContain(1, 2, 3, 4);
        assertThat(one.getList("byStatusAndAge.count", Object.class)).doesNotContain(1, 2, 3, 4);

        List<String> ids = new java.util.ArrayList<>(List.of(draftOnly));
        for (int i = 0; i < 4; i++) {
            String id = draft(sender, receiver, "URGENT");
            post(sender.caseworkerToken(), "submission", id).statusCode(200);
            ids.add(id);
        }
        JsonPath five = statistics(since);
        assertThat(flow(five)).containsEntry("count", 5).containsEntry("suppressed", false);
        Map<String, Object> submittedUrgent = five.getMap("byStatusAndUrgency.find { it.status == 'SUBMITTED' && it.urgency == 'URGENT' }");
        assertThat(((Number) submittedUrgent.get("count")).intValue()).isGreaterThanOrEqualTo(5);

        // response times: four acknowledgements stay suppressed, the fifth makes median and p90 visible
        for (String id : ids.subList(0, 4)) {
            post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
        }
        JsonPath four = given().auth().oauth2(realm.coordinatorToken()).queryParam("since", since.toString())
                .when().get("/api/v1/coordination/statistics").then().statusCode(200).extract().jsonPath();
        Map<String, Object> ackFour = four.getMap("responseTimes.find { it.measure == 'TIME_TO_ACKNOWLEDGE' && it.urgency == null }");
        assertThat(ackFour).containsEntry("suppressed", true).doesNotContainKeys("count", "medianSeconds", "p90Seconds");
        post(receiver.caseworkerToken(), "acknowledgement", ids.get(4)).statusCode(200);
        Map<String, Object> ack = statistics(since).getMap("responseTimes.find { it.measure == 'TIME_TO_ACKNOWLEDGE' && it.urgency == null }");
        assertThat(ack).containsEntry("count", 5).containsEntry("suppressed", false);
        long median = ((Number) ack.get("medianSeconds")).longValue();
        long p90 = ((Number) ack.get("p90Seconds")).longValue();
        assertThat(median).isBetween(0L, 600L);
        assertThat(p90).isGreaterThanOrEqualTo(median).isLessThan(600L);

        // everything shown is metadata: no ids of organisations, no summary bands, no languages
        String body = given().auth().oauth2(realm.coordinatorToken()).queryParam("since", since.toString())
                .when().get("/api/v1/coordination/statistics").then().extract().asString();
        assertThat(body).doesNotContain(sender.id().toString()).doesNotContain("pcm").doesNotContain("AGE_25_34").doesNotContain(ids.get(0));
    }

    @Test
    void only_coordinators_see_the_statistics_and_bad_parameters_name_the_field() {
        given().auth().oauth2(sender.caseworkerToken()).when().get("/api/v1/coordination/statistics").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(sender.adminToken()).when().get("/api/v1/coordination/statistics").then().statusCode(403);
        given().when().get("/api/v1/coordination/statistics").then().statusCode(401);
        given().auth().oauth2(realm.coordinatorToken()).queryParam("limit", 1000).when().get("/api/v1/coordination/escalations")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(realm.coordinatorToken()).queryParam("since", "yesterday").when().get("/api/v1/coordination/statistics")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("since"));
    }
}
