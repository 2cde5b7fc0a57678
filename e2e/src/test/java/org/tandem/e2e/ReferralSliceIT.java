package org.tandem.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandem.events.Topics;
import org.tandem.events.registry.OrganisationApproved;
import org.tandem.testing.EventTopicReader;
import org.tandem.testing.Fixtures;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RunningServices;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;

/**
 * The foundation slice across the three running services, with real Keycloak tokens, real Kafka, the
 * real schema registry and PostgreSQL: two organisations join the network, one refers a survivor to the
 * other, each learns every step through signed webhooks, and a third organisation sees nothing.
 */
class ReferralSliceIT {

    static RunningServices services;
    static KeycloakRealm realm;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        services = RunningServices.start();
        realm = KeycloakRealm.get();
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    static void join(TestOrganisation org, String name) {
        given().baseUri(services.registryUrl()).auth().oauth2(org.adminToken()).contentType(ContentType.JSON)
                .body(Fixtures.organisationProfile(name, org.country())).when().post("/api/v1/organisations").then().statusCode(201);
        given().baseUri(services.registryUrl()).auth().oauth2(realm.coordinatorToken())
                .when().post("/api/v1/organisations/{id}/approval", org.id()).then().statusCode(200)
                .body("membershipStatus", equalTo("APPROVED"));
    }

    static String subscribe(TestOrganisation org, WebhookReceiver receiver) {
        return given().baseUri(services.notificationUrl()).auth().oauth2(org.adminToken()).contentType(ContentType.JSON)
                .body("{\"url\":\"" + receiver.url("/tandem") + "\",\"eventTypes\":[\"*\"]}")
                .when().post("/api/v1/webhooks/endpoints").then().statusCode(201).extract().jsonPath().getString("secret");
    }

    /** Standard Webhooks verification, written from the specification. */
    static void assertSigned(String secret, WebhookReceiver.Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(
                (r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(List.of(r.header("webhook-signature").split(" "))).contains(expected);
    }

    /** A new referral to {@code receiverId} with a consent that covers a case transfer. */
    static String type(WebhookReceiver.Received r) {
        try {
            return JSON.readTree(r.body()).get("type").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_referral_goes_from_cyprus_to_germany_with_signed_webhooks_at_every_step() throws Exception {
        TestOrganisation cyprus = realm.createOrganisation("CY");
        TestOrganisation germany = realm.createOrganisation("DE");
        TestOrganisation italy = realm.createOrganisation("IT");
        try (var orgEvents = new EventTopicReader(Topics.ORGANISATIONS);
             var cyprusHooks = new WebhookReceiver(); var germanyHooks = new WebhookReceiver()) {
            join(cyprus, "E2E Cyprus");
            join(germany, "E2E Germany");
            join(italy, "E2E Italy");
            orgEvents.awaitOne(OrganisationApproved.class,
                    e -> e.getOrganisation().getOrganisationId().equals(germany.id().toString()), Duration.ofSeconds(30));
            String cyprusSecret = subscribe(cyprus, cyprusHooks);
            String germanySecret = subscribe(germany, germanyHooks);

            String referral = Fixtures.referral(germany.id().toString());
            String[] id = new String[1];
            // referral-service learns of the approvals through the organisations topic
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                var r = given().baseUri(services.referralUrl()).auth().oauth2(cyprus.caseworkerToken())
                        .contentType(ContentType.JSON).body(referral).when().post("/api/v1/referrals").then().extract();
                id[0] = r.statusCode() == 201 ? r.jsonPath().getString("id") : null;
                return id[0] != null;
            });

            Instant submittedAt = Instant.now();
            given().baseUri(services.referralUrl()).auth().oauth2(cyprus.caseworkerToken())
                    .when().post("/api/v1/referrals/{id}/submission", id[0]).then().statusCode(200).body("status", equalTo("SUBMITTED"));
            var submitted = germanyHooks.await(r -> r.body().contains(id[0]), 1, Duration.ofSeconds(30)).get(0);
            assertSigned(germanySecret, submitted);
            assertThat(type(submitted)).isEqualTo("referral.submitted");
            assertThat(submitted.at()).isBefore(submittedAt.plusSeconds(10));

            given().baseUri(services.referralUrl()).auth().oauth2(germany.caseworkerToken())
                    .when().post("/api/v1/referrals/{id}/acknowledgement", id[0]).then().statusCode(200);
            given().baseUri(services.referralUrl()).auth().oauth2(germany.caseworkerToken())
                    .when().post("/api/v1/referrals/{id}/acceptance", id[0]).then().statusCode(200).body("status", equalTo("ACCEPTED"));

            var toCyprus = cyprusHooks.await(r -> r.body().contains(id[0]), 3, Duration.ofSeconds(30));
            for (var r : toCyprus) {
                assertSigned(cyprusSecret, r);
            }
            assertThat(toCyprus.stream().map(ReferralSliceIT::type).toList())
                    .containsExactly("referral.submitted", "referral.acknowledged", "referral.accepted");

            given().baseUri(services.referralUrl()).auth().oauth2(italy.caseworkerToken())
                    .when().get("/api/v1/referrals/{id}", id[0]).then().statusCode(404)
                    .contentType("application/problem+json");

            // closing the loop: the receiver records the outcome, the sender sees it
            given().baseUri(services.referralUrl()).auth().oauth2(germany.caseworkerToken())
                    .when().post("/api/v1/referrals/{id}/start", id[0]).then().statusCode(200).body("status", equalTo("IN_PROGRESS"));
            given().baseUri(services.referralUrl()).auth().oauth2(germany.caseworkerToken()).contentType(ContentType.JSON)
                    .body("{\"outcome\":\"SERVICES_PROVIDED\"}")
                    .when().post("/api/v1/referrals/{id}/completion", id[0]).then().statusCode(200).body("status", equalTo("COMPLETED"));
            given().baseUri(services.referralUrl()).auth().oauth2(cyprus.caseworkerToken())
                    .when().get("/api/v1/referrals/{id}", id[0]).then().statusCode(200)
                    .body("outcome.outcome", equalTo("SERVICES_PROVIDED"));
        }
    }
}
