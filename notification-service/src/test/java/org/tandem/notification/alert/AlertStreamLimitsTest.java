package org.tandem.notification.alert;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RawHttp;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Open alert feeds (Server-Sent Events) are bounded per organisation and in all (docs/api.md, "Limits";
 * docs/security.md, "6. Limits a member cannot exceed"): one over a bound is refused with a problem naming the
 * limit, and a feed whose client went away frees its slot. Streams are held open on raw sockets, so that
 * closing one is exactly a client going away.
 */
@QuarkusTest
@TestProfile(AlertStreamLimitsTest.FewStreams.class)
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class AlertStreamLimitsTest {

    static final int PER_ORGANISATION = 2;
    static final int TOTAL = 3;

    public static class FewStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tandem.alerts.streams.per-organisation",
                    Integer.toString(PER_ORGANISATION),
                    "tandem.alerts.streams.total",
                    Integer.toString(TOTAL));
        }
    }

    final List<RawHttp> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (RawHttp s : open) {
            s.close();
        }
        open.clear();
    }

    RawHttp.Answer connect(TestOrganisation org) throws IOException {
        RawHttp s = RawHttp.stream(
                RestAssured.port,
                "/api/v1/alerts/stream",
                Map.of("Authorization", "Bearer " + org.adminToken(), "Accept", "text/event-stream"));
        RawHttp.Answer a = s.head();
        if (a.status() == 200) {
            open.add(s);
        } else {
            s.close();
        }
        return a;
    }

    static void refused(RawHttp.Answer a, int status, String limit, int max) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.headers().get("content-type")).startsWith("application/problem+json");
        JsonPath p = JsonPath.from(a.body());
        assertThat(p.getString("type")).isEqualTo("urn:problem-type:tandem:too-many-streams");
        assertThat(p.getString("limit")).isEqualTo(limit);
        assertThat(p.getInt("max")).isEqualTo(max);
        assertThat(p.getString("detail")).contains(limit).contains(Integer.toString(max));
    }

    /** Waits until the organisation can open a feed again (the server sees the close asynchronously). */
    RawHttp.Answer connectWithin(TestOrganisation org, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        RawHttp.Answer a = connect(org);
        while (a.status() != 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            a = connect(org);
        }
        return a;
    }

    @Test
    void feeds_are_bounded_per_organisation_and_in_all_and_a_closed_feed_frees_its_slot() throws Exception {
        KeycloakRealm realm = KeycloakRealm.get();
        TestOrganisation a = realm.createOrganisation("DE");
        TestOrganisation b = realm.createOrganisation("CY");
        TestOrganisation c = realm.createOrganisation("IE");

        for (int i = 0; i < PER_ORGANISATION; i++) {
            RawHttp.Answer ok = connect(a);
            assertThat(ok.status()).as(ok.body() == null ? "" : ok.body()).isEqualTo(200);
            assertThat(ok.headers().get("content-type")).startsWith("text/event-stream");
        }
        refused(connect(a), 429, "alert-streams-per-organisation", PER_ORGANISATION);
        assertThat(connect(b).status()).isEqualTo(200); // another organisation is not held up by a's feeds
        RawHttp bFeed = open.get(open.size() - 1);
        refused(connect(c), 503, "alert-streams-total", TOTAL);

        // a's first feed goes away: its slot is free again, for a as for the others
        open.remove(0).close();
        assertThat(connectWithin(a, Duration.ofSeconds(15)).status())
                .as("a feed after one closed")
                .isEqualTo(200);
        refused(connect(a), 429, "alert-streams-per-organisation", PER_ORGANISATION);
        open.remove(bFeed);
        bFeed.close();
        assertThat(connectWithin(c, Duration.ofSeconds(15)).status())
                .as("c's feed after b's closed")
                .isEqualTo(200);
    }

    @Test
    void the_page_size_of_the_alert_list_names_its_limit() {
        TestOrganisation org = KeycloakRealm.get().createOrganisation("GR");
        JsonPath p = given().auth()
                .oauth2(org.adminToken())
                .when()
                .get("/api/v1/alerts?limit=201")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .extract()
                .jsonPath();
        assertThat(p.getString("limit")).isEqualTo("page-size");
        assertThat(p.getInt("max")).isEqualTo(200);
        assertThat(p.getString("errors[0].field")).isEqualTo("limit");
    }
}
