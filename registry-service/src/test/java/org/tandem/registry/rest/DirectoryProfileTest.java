package org.tandem.registry.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.referral.ReferralAccepted;
import org.tandem.events.referral.ReferralAcknowledged;
import org.tandem.events.referral.ReferralRef;
import org.tandem.events.referral.ReferralStatus;
import org.tandem.events.registry.MembershipStatus;
import org.tandem.events.registry.OrganisationCapacityChanged;
import org.tandem.events.registry.OrganisationSuspended;
import org.tandem.platform.serde.EventTypeFilter;
import org.tandem.testing.EventTopicReader;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The profile beyond membership: capacity reports, the confidential address, eligibility search, labels. */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "registry"))
public class DirectoryProfileTest {

    static EventTopicReader events;
    static KeycloakRealm realm;

    @BeforeAll
    static void setUp() {
        events = new EventTopicReader(Topics.ORGANISATIONS);
        realm = KeycloakRealm.get();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    public static TestOrganisation approved(String country, String body) {
        TestOrganisation org = KeycloakRealm.get().createOrganisation(country);
        OrganisationApiTest.apply(org, body);
        given().auth()
                .oauth2(KeycloakRealm.get().coordinatorToken())
                .when()
                .post("/api/v1/organisations/{id}/approval", org.id())
                .then()
                .statusCode(200);
        return org;
    }

    @Test
    void an_org_admin_reports_capacity_with_its_time_and_a_capacity_event_follows() {
        TestOrganisation org =
                approved("AT", OrganisationApiTest.profile("Cap Org", "AT", "\"SAFE_ACCOMMODATION\"", "\"deu\"", 1));
        Instant before = Instant.now().minusSeconds(1);
        given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body("{\"available\":-1,\"maximum\":12,\"unit\":\"BEDS\"}")
                .header("If-Match", "\"1\"")
                .when()
                .put("/api/v1/organisations/{id}/capacity", org.id())
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("available"));
        given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body("{\"available\":4,\"maximum\":12,\"unit\":\"BEDS\"}")
                .when()
                .put("/api/v1/organisations/{id}/capacity", org.id())
                .then()
                .statusCode(428);
        given().auth()
                .oauth2(org.caseworkerToken())
                .contentType(ContentType.JSON)
                .body("{\"available\":4,\"maximum\":12,\"unit\":\"BEDS\"}")
                .header("If-Match", "\"1\"")
                .when()
                .put("/api/v1/organisations/{id}/capacity", org.id())
                .then()
                .statusCode(403);
        String updatedAt = given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body("{\"available\":4,\"maximum\":12,\"unit\":\"BEDS\"}")
                .header("If-Match", "\"1\"")
                .when()
                .put("/api/v1/organisations/{id}/capacity", org.id())
                .then()
                .statusCode(200)
                .body("capacity.available", equalTo(4))
                .header("ETag", "\"2\"")
                .extract()
                .jsonPath()
                .getString("capacity.updatedAt");
        assertThat(Instant.parse(updatedAt)).isAfter(before);
        var changed = events.awaitOne(
                OrganisationCapacityChanged.class,
                e -> e.getOrganisation().getOrganisationId().equals(org.id().toString()),
                Duration.ofSeconds(30));
        assertThat(changed.getOrganisation().getCapacityAvailable()).isEqualTo(4);
        assertThat(changed.getOrganisation().getCapacityUpdatedAt())
                .isEqualTo(Instant.parse(updatedAt).truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void the_confidential_address_is_revealed_only_after_this_organisation_accepted_a_referral_of_the_reader() {
        TestOrganisation shelter =
                approved("DE", OrganisationApiTest.profile("Shelter", "DE", "\"SAFE_ACCOMMODATION\"", "\"deu\"", 1));
        TestOrganisation sender =
                approved("CY", OrganisationApiTest.profile("Sender", "CY", "\"LEGAL_ASSISTANCE\"", "\"ell\"", 1));
        TestOrganisation bystander =
                approved("CY", OrganisationApiTest.profile("Bystander", "CY", "\"LEGAL_ASSISTANCE\"", "\"ell\"", 1));

        given().auth()
                .oauth2(shelter.caseworkerToken())
                .when()
                .get("/api/v1/organisations/{id}/confidential-address", shelter.id())
                .then()
                .statusCode(200)
                .body("street", equalTo("Test street 1"));
        given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/organisations/{id}/confidential-address", shelter.id())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .get("/api/v1/organisations/{id}/confidential-address", shelter.id())
                .then()
                .statusCode(403);
        // the public profile and the search never carry it
        given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/organisations/{id}", shelter.id())
                .then()
                .statusCode(200)
                .body("confidentialAddress", equalTo(null))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Test street")));

        var ref = ReferralRef.newBuilder()
                .setReferralId(UUID.randomUUID().toString())
                .setVersion(3)
                .setStatus(ReferralStatus.ACCEPTED)
                .setSenderOrganisationId(sender.id().toString())
                .setReceiverOrganisationId(shelter.id().toString())
                .setSenderCountry("CY")
                .setReceiverCountry("DE")
                .build();
        var accepted = ReferralAccepted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .setReferral(ref)
                .build();
        double passedOverBefore = passedOver(Topics.REFERRALS);
        try (var writer = new EventTopicWriter()) {
            // an event of a type this consumer does not take comes first: passed over by its header, undecoded
            writer.publish(
                    Topics.REFERRALS,
                    ref.getReferralId(),
                    ReferralAcknowledged.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                            .setReferral(ReferralRef.newBuilder()
                                    .setReferralId(ref.getReferralId())
                                    .setVersion(2)
                                    .setStatus(ReferralStatus.ACKNOWLEDGED)
                                    .setSenderOrganisationId(ref.getSenderOrganisationId())
                                    .setReceiverOrganisationId(ref.getReceiverOrganisationId())
                                    .setSenderCountry("CY")
                                    .setReceiverCountry("DE")
                                    .build())
                            .setDecideBy(Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))
                            .build());
            writer.publish(Topics.REFERRALS, ref.getReferralId(), accepted);
            writer.publish(Topics.REFERRALS, ref.getReferralId(), accepted); // a redelivery changes nothing
        }
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().auth()
                        .oauth2(sender.caseworkerToken())
                        .when()
                        .get("/api/v1/organisations/{id}/confidential-address", shelter.id())
                        .then()
                        .statusCode(200)
                        .body("locality", equalTo("Testtown"))
                        .body("country", equalTo("DE")));
        assertThat(passedOver(Topics.REFERRALS)).isGreaterThanOrEqualTo(passedOverBefore + 1);
        assertThat(EventTopicWriter.EVENT_TYPE_HEADER).isEqualTo(EventTypeFilter.HEADER);
        // the acceptance reveals the receiver's address to the sender, not the other way round, and to no one else
        given().auth()
                .oauth2(shelter.caseworkerToken())
                .when()
                .get("/api/v1/organisations/{id}/confidential-address", sender.id())
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(bystander.caseworkerToken())
                .when()
                .get("/api/v1/organisations/{id}/confidential-address", shelter.id())
                .then()
                .statusCode(404);
    }

    @Test
    void a_suspended_organisation_disappears_from_the_directory_until_a_coordinator_reinstates_it() {
        String marker = "Susp" + UUID.randomUUID().toString().substring(0, 6);
        TestOrganisation org =
                approved("IT", OrganisationApiTest.profile(marker, "IT", "\"LEGAL_ASSISTANCE\"", "\"ita\"", 1));
        String cw = realm.createOrganisation("CY").caseworkerToken();
        given().auth()
                .oauth2(cw)
                .queryParam("q", marker)
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .body("items.id", contains(org.id().toString()));
        given().auth()
                .oauth2(org.adminToken())
                .when()
                .post("/api/v1/organisations/{id}/suspension", org.id())
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(realm.coordinatorToken())
                .header("If-Match", "\"0\"")
                .when()
                .post("/api/v1/organisations/{id}/suspension", org.id())
                .then()
                .statusCode(412);
        given().auth()
                .oauth2(realm.coordinatorToken())
                .header("If-Match", "\"1\"")
                .when()
                .post("/api/v1/organisations/{id}/suspension", org.id())
                .then()
                .statusCode(200)
                .body("membershipStatus", equalTo("SUSPENDED"));
        var suspended = events.awaitOne(
                OrganisationSuspended.class,
                e -> e.getOrganisation().getOrganisationId().equals(org.id().toString()),
                Duration.ofSeconds(30));
        assertThat(suspended.getOrganisation().getMembershipStatus()).isEqualTo(MembershipStatus.SUSPENDED);
        given().auth()
                .oauth2(cw)
                .queryParam("q", marker)
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .body("items", empty());
        given().auth()
                .oauth2(cw)
                .when()
                .get("/api/v1/organisations/{id}", org.id())
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(org.caseworkerToken())
                .when()
                .get("/api/v1/organisations/{id}", org.id())
                .then()
                .statusCode(200)
                .body("membershipStatus", equalTo("SUSPENDED"));
        given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .post("/api/v1/organisations/{id}/suspension", org.id())
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:problem-type:tandem:illegal-membership-transition"));
        given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .post("/api/v1/organisations/{id}/reinstatement", org.id())
                .then()
                .statusCode(200)
                .body("membershipStatus", equalTo("APPROVED"));
        given().auth()
                .oauth2(cw)
                .queryParam("q", marker)
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .body("items.id", contains(org.id().toString()));
    }

    @Test
    void search_filters_by_region_and_eligibility_and_age() {
        String marker = "Elig" + UUID.randomUUID().toString().substring(0, 6);
        String adults = """
                {"name":"%s adults","description":"d","country":"DE","region":"DE-BE","services":["SAFE_ACCOMMODATION"],"languages":["deu","pcm"],
                 "eligibility":{"womenOnly":true,"acceptsMinors":false,"minAge":18,"maxAge":60,"acceptsWomenWithChildren":true},
                 "capacity":{"available":2,"maximum":5,"unit":"BEDS"}}""".formatted(marker);
        String minors = """
                {"name":"%s minors","description":"d","country":"DE","region":"DE-HH","services":["SAFE_ACCOMMODATION"],"languages":["deu"],
                 "eligibility":{"womenOnly":false,"acceptsMinors":true,"minAge":14,"maxAge":21,"acceptsWomenWithChildren":false},
                 "capacity":{"available":1,"maximum":5,"unit":"PLACES"}}""".formatted(marker);
        TestOrganisation a = approved("DE", adults);
        TestOrganisation m = approved("DE", minors);
        String cw = realm.createOrganisation("CY").caseworkerToken();
        Map<String, String> q = Map.of("q", marker);
        given().auth()
                .oauth2(cw)
                .queryParams(q)
                .queryParam("region", "DE-BE")
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .body("items.id", contains(a.id().toString()));
        given().auth()
                .oauth2(cw)
                .queryParams(q)
                .queryParam("womenOnly", "true")
                .queryParam("withChildren", "true")
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .body("items.id", contains(a.id().toString()));
        given().auth()
                .oauth2(cw)
                .queryParams(q)
                .queryParam("age", "16")
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .body("items.id", contains(m.id().toString()));
        given().auth()
                .oauth2(cw)
                .queryParams(q)
                .queryParam("age", "19")
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .body("items.id", containsInAnyOrder(a.id().toString(), m.id().toString()));
        given().auth()
                .oauth2(cw)
                .queryParams(q)
                .queryParam("acceptsMinors", "true")
                .queryParam("language", "deu")
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .body("items.id", contains(m.id().toString()));
        given().auth()
                .oauth2(cw)
                .queryParams(q)
                .queryParam("region", "Berlin")
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("region"));
        given().auth()
                .oauth2(cw)
                .queryParams(q)
                .queryParam("language", "xx1")
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("language"));
    }

    @Test
    void service_codes_have_english_labels_and_labels_in_further_languages_come_from_data() {
        String cw = realm.createOrganisation("CY").caseworkerToken();
        given().auth()
                .oauth2(cw)
                .when()
                .get("/api/v1/services")
                .then()
                .statusCode(200)
                .body("size()", equalTo(13))
                .body("find { it.code == 'FGM_CARE' }.label", equalTo("FGM-related care"));
        given().auth()
                .oauth2(cw)
                .queryParam("language", "deu")
                .when()
                .get("/api/v1/services")
                .then()
                .statusCode(200)
                .body("find { it.code == 'LANGUAGE_COURSES' }.label", equalTo("Sprachkurse"))
                .body("find { it.code == 'LANGUAGE_COURSES' }.englishLabel", equalTo("Language courses"));
        given().auth()
                .oauth2(cw)
                .queryParam("language", "pcm")
                .when()
                .get("/api/v1/services")
                .then()
                .statusCode(200)
                .body("find { it.code == 'LANGUAGE_COURSES' }.language", equalTo("eng"));
    }

    @Test
    void the_openapi_document_describes_the_directory_and_swagger_ui_is_served() {
        given().queryParam("format", "json")
                .when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/organisations/{id}/keys"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/organisations/{id}/capacity"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/hsds/services"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/services"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    /** {@code tandem_messaging_records_passed_over_total{topic=...}} as /q/metrics shows it; 0 before the first. */
    static double passedOver(String topic) {
        return given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .filter(l -> l.startsWith("tandem_messaging_records_passed_over_total{")
                        && l.contains("topic=\"" + topic + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
