package org.tandem.referral.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.referral.support.AdjustableClock;
import org.tandem.referral.support.Coordination;
import org.tandem.referral.support.Network;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.referral.support.Referrals.consent;
import static org.tandem.referral.support.Referrals.draft;
import static org.tandem.referral.support.Referrals.post;
import static org.tandem.referral.support.Referrals.referral;

/**
 * The coordinators' statistics: counts by status, urgency, age and country pair, and response times, for a
 * fixed period, with every cell under the threshold (5) suppressed and percentiles only for 20 referrals or
 * more. The service's clock places this test's referrals in months of 2030 that no other test uses.
 * StatisticsAttackTest attacks the suppression itself.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class CoordinatorViewsTest {

    static Network network;
    static KeycloakRealm realm;
    static TestOrganisation sender;
    static TestOrganisation receiver;

    @Inject
    AdjustableClock clock;

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

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    void at(String instant) {
        clock.reset();
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
    }

    String submitted(String urgency) {
        String id = draft(
                sender,
                referral(receiver.id(), urgency, consent(receiver.id(), Instant.parse("2099-01-01T00:00:00Z"))));
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        return id;
    }

    static JsonPath statistics(String period) {
        return Coordination.statistics(realm.coordinatorToken(), period)
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static Map<String, Object> flow(JsonPath stats) {
        return stats.getMap("flows.find { it.senderCountry == 'LU' && it.receiverCountry == 'IS' }");
    }

    @Test
    void small_cells_are_suppressed_and_never_shown_as_a_number() {
        at("2030-05-10T12:00:00Z");
        String draftOnly = draft(
                sender,
                referral(receiver.id(), "URGENT", consent(receiver.id(), Instant.parse("2099-01-01T00:00:00Z"))));
        clock.reset();
        assertThat(flow(statistics("2030-05")))
                .as("drafts are the sender's own work and are not counted")
                .satisfiesAnyOf(f -> assertThat(f).isNull(), f -> assertThat(f).containsEntry("count", 0));

        at("2030-05-10T12:00:00Z");
        post(sender.caseworkerToken(), "submission", draftOnly).statusCode(200);
        clock.reset();
        JsonPath one = statistics("2030-05");
        assertThat(one.getString("period")).isEqualTo("2030-05");
        assertThat(one.getString("from")).isEqualTo("2030-05-01T00:00:00Z");
        assertThat(one.getString("until")).isEqualTo("2030-06-01T00:00:00Z");
        assertThat(one.getInt("suppressionThreshold")).isEqualTo(5);
        assertThat(flow(one)).containsEntry("suppressed", true).doesNotContainKey("count");
        assertThat(one.getList("byStatusAndUrgency.count", Object.class)).doesNotContain(1, 2, 3, 4);
        assertThat(one.getList("flows.count", Object.class)).doesNotContain(1, 2, 3, 4);
        assertThat(one.getList("byStatusAndAge.count", Object.class)).doesNotContain(1, 2, 3, 4);
        // the quarter and the year hold the same one referral: suppressed there too, not "total minus the rest"
        assertThat(flow(statistics("2030-Q2")))
                .containsEntry("suppressed", true)
                .doesNotContainKey("count");
        assertThat(flow(statistics("2030"))).containsEntry("suppressed", true).doesNotContainKey("count");

        List<String> ids = new java.util.ArrayList<>(List.of(draftOnly));
        at("2030-05-11T12:00:00Z");
        for (int i = 0; i < 4; i++) {
            ids.add(submitted("URGENT"));
        }
        clock.reset();
        JsonPath five = statistics("2030-05");
        assertThat(flow(five)).containsEntry("count", 5).containsEntry("suppressed", false);
        assertThat(five.getMap("byStatusAndUrgency.find { it.status == 'SUBMITTED' && it.urgency == 'URGENT' }"))
                .containsEntry("count", 5);
        assertThat(five.getMap("byStatusAndUrgency.find { it.status == 'SUBMITTED' && it.urgency == 'ROUTINE' }"))
                .as("an empty cell is a published zero")
                .containsEntry("count", 0)
                .containsEntry("suppressed", false);
        assertThat(flow(statistics("2030-Q2")))
                .as("April and June are empty: the quarter is May")
                .containsEntry("count", 5);
        assertThat(flow(statistics("2030-04"))).containsEntry("count", 0);

        // everything shown is metadata: no ids of organisations, no summary bands, no languages
        String body = Coordination.statistics(realm.coordinatorToken(), "2030-05")
                .extract()
                .asString();
        assertThat(body)
                .doesNotContain(sender.id().toString())
                .doesNotContain("pcm")
                .doesNotContain("AGE_25_34")
                .doesNotContain(ids.get(0));
    }

    @Test
    void a_percentile_needs_twenty_referrals_and_otherwise_reads_too_few() {
        at("2030-09-10T12:00:00Z");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(submitted("ROUTINE"));
        }
        for (String id : ids.subList(0, 19)) {
            post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
        }
        clock.reset();
        JsonPath nineteen = statistics("2030-09");
        assertThat(nineteen.getInt("percentileMinimum")).isEqualTo(20);
        Map<String, Object> few =
                nineteen.getMap("responseTimes.find { it.measure == 'TIME_TO_ACKNOWLEDGE' && it.urgency == null }");
        assertThat(few).containsEntry("tooFew", true).doesNotContainKeys("count", "medianSeconds", "p90Seconds");
        assertThat(nineteen.getMap(
                        "byStatusAndUrgency.find { it.status == 'ACKNOWLEDGED' && it.urgency == 'ROUTINE' }"))
                .containsEntry("count", 19);

        at("2030-09-10T12:00:00Z");
        post(receiver.caseworkerToken(), "acknowledgement", ids.get(19)).statusCode(200);
        clock.reset();
        JsonPath twenty = statistics("2030-09");
        Map<String, Object> ack =
                twenty.getMap("responseTimes.find { it.measure == 'TIME_TO_ACKNOWLEDGE' && it.urgency == null }");
        assertThat(ack).containsEntry("tooFew", false).doesNotContainKey("count");
        long median = ((Number) ack.get("medianSeconds")).longValue();
        long p90 = ((Number) ack.get("p90Seconds")).longValue();
        assertThat(median).isBetween(0L, 600L);
        assertThat(p90).isGreaterThanOrEqualTo(median).isLessThan(600L);
        assertThat(twenty.getMap(
                        "responseTimes.find { it.measure == 'TIME_TO_ACKNOWLEDGE' && it.urgency == 'ROUTINE' }"))
                .containsEntry("tooFew", false);
        assertThat(twenty.getMap(
                        "responseTimes.find { it.measure == 'TIME_TO_ACKNOWLEDGE' && it.urgency == 'URGENT' }"))
                .containsEntry("tooFew", true);
        assertThat(twenty.getMap("responseTimes.find { it.measure == 'TIME_TO_DECIDE' && it.urgency == null }"))
                .containsEntry("tooFew", true);
    }

    @Test
    void only_coordinators_see_the_statistics_and_bad_parameters_name_the_field() {
        given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/coordination/statistics")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(sender.adminToken())
                .when()
                .get("/api/v1/coordination/statistics")
                .then()
                .statusCode(403);
        given().when().get("/api/v1/coordination/statistics").then().statusCode(401);
        given().auth()
                .oauth2(realm.coordinatorToken())
                .queryParam("limit", 1000)
                .when()
                .get("/api/v1/coordination/escalations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        Coordination.statistics(realm.coordinatorToken(), "last-week")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("period"));
        given().auth()
                .oauth2(realm.coordinatorToken())
                .queryParam("since", "2026-01-01T00:00:00Z")
                .when()
                .get("/api/v1/coordination/statistics")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("since"));
        given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .get("/api/v1/coordination/statistics")
                .then()
                .statusCode(200)
                .body("period", org.hamcrest.Matchers.matchesPattern("\\d{4}"));
    }
}
