package org.tandem.registry.rest;

import java.time.Duration;
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
import org.tandem.events.registry.MembershipStatus;
import org.tandem.events.registry.OrganisationApproved;
import org.tandem.events.registry.OrganisationRegistered;
import org.tandem.events.registry.OrganisationUpdated;
import org.tandem.testing.EventTopicReader;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * registry-service against real PostgreSQL, Kafka, Apicurio Registry and Keycloak: membership,
 * profiles, the events they publish, and the problem answers to bad requests.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "registry"))
public class OrganisationApiTest {

    static EventTopicReader events;
    static KeycloakRealm realm;

    @BeforeAll
    static void readEvents() {
        events = new EventTopicReader(Topics.ORGANISATIONS);
        realm = KeycloakRealm.get();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    public static String profile(String name, String country, String services, String languages, int available) {
        return """
                {"name":"%s","description":"Women-only shelter with interpreters","country":"%s","region":"%s-01",
                 "services":[%s],"languages":[%s],
                 "eligibility":{"womenOnly":true,"acceptsMinors":false,"minAge":18,"maxAge":null,"acceptsWomenWithChildren":true},
                 "capacity":{"available":%d,"maximum":12,"unit":"BEDS"},
                 "contactHours":[{"dayOfWeek":"MONDAY","opens":"09:00","closes":"17:00"}],
                 "confidentialAddress":{"street":"Test street 1","postalCode":"00000","locality":"Testtown","country":"%s"}}""".formatted(name, country, country, services, languages, available, country);
    }

    public static String apply(TestOrganisation org, String body) {
        return given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(201)
                .extract()
                .header("ETag");
    }

    @Test
    void an_org_admin_applies_and_a_coordinator_approves_and_both_steps_publish_anonymised_events() {
        TestOrganisation org = realm.createOrganisation("DE");
        String etag = apply(
                org,
                profile(
                        "Frauenhaus Test",
                        "DE",
                        "\"SAFE_ACCOMMODATION\",\"PSYCHOLOGICAL_SUPPORT\"",
                        "\"deu\",\"pcm\",\"bin\"",
                        3));
        assertThat(etag).isEqualTo("\"0\"");

        var registered = events.awaitOne(
                OrganisationRegistered.class,
                e -> e.getOrganisation().getOrganisationId().equals(org.id().toString()),
                Duration.ofSeconds(30));
        assertThat(registered.getOrganisation().getMembershipStatus()).isEqualTo(MembershipStatus.PENDING);
        assertThat(registered.getOrganisation().getLanguages()).containsExactly("deu", "pcm", "bin");
        assertThat(registered.toString())
                .doesNotContain("Frauenhaus")
                .doesNotContain("Test street")
                .doesNotContain("interpreters");

        given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .post("/api/v1/organisations/{id}/approval", org.id())
                .then()
                .statusCode(200)
                .body("membershipStatus", equalTo("APPROVED"))
                .header("ETag", "\"1\"");
        var approved = events.awaitOne(
                OrganisationApproved.class,
                e -> e.getOrganisation().getOrganisationId().equals(org.id().toString()),
                Duration.ofSeconds(30));
        assertThat(approved.getOrganisation().getVersion()).isEqualTo(1);

        given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .post("/api/v1/organisations/{id}/approval", org.id())
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:tandem:illegal-membership-transition"));
    }

    @Test
    void applications_profile_changes_and_membership_decisions_are_audited() {
        TestOrganisation org = realm.createOrganisation("EE");
        apply(org, profile("Audited Centre", "EE", "\"PEER_SUPPORT\"", "\"est\"", 2));
        given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .header("If-Match", "\"0\"")
                .body(profile("Audited Centre", "EE", "\"PEER_SUPPORT\"", "\"est\"", 1))
                .when()
                .put("/api/v1/organisations/{id}", org.id())
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .post("/api/v1/organisations/{id}/approval", org.id())
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .post("/api/v1/organisations/{id}/suspension", org.id())
                .then()
                .statusCode(200);
        var entries = given().auth()
                .oauth2(org.adminToken())
                .when()
                .get("/api/v1/audit?limit=200")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(entries.getList(
                        "findAll { it.resourceId == '" + org.id() + "' && it.outcome == 'ALLOWED' }.action",
                        String.class))
                .containsExactly(
                        "organisation.membership.suspended",
                        "organisation.membership.approved",
                        "organisation.profile.update",
                        "organisation.apply");
        assertThat(entries.prettify()).as("ids and actions, never the profile").doesNotContain("Audited Centre");
    }

    @Test
    void a_pending_organisation_is_invisible_to_other_members_until_approved() {
        TestOrganisation pending = realm.createOrganisation("CY");
        TestOrganisation other = realm.createOrganisation("IT");
        apply(pending, profile("Pending Org", "CY", "\"LEGAL_ASSISTANCE\"", "\"ell\"", 1));

        given().auth()
                .oauth2(other.caseworkerToken())
                .when()
                .get("/api/v1/organisations/{id}", pending.id())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(pending.caseworkerToken())
                .when()
                .get("/api/v1/organisations/{id}", pending.id())
                .then()
                .statusCode(200)
                .body("membershipStatus", equalTo("PENDING"))
                .body("$", not(org.hamcrest.Matchers.hasKey("confidentialAddress")));
        given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .get("/api/v1/organisations/pending")
                .then()
                .statusCode(200)
                .body("id", hasItem(pending.id().toString()));
    }

    @Test
    void only_the_own_org_admin_updates_a_profile_and_only_with_the_current_etag() {
        TestOrganisation org = realm.createOrganisation("LV");
        TestOrganisation stranger = realm.createOrganisation("LT");
        apply(org, profile("Centre", "LV", "\"PEER_SUPPORT\"", "\"lav\"", 2));
        String changed = profile("Centre renamed", "LV", "\"PEER_SUPPORT\",\"LANGUAGE_COURSES\"", "\"lav\",\"rus\"", 0);

        given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body(changed)
                .when()
                .put("/api/v1/organisations/{id}", org.id())
                .then()
                .statusCode(428)
                .body("type", equalTo("urn:problem-type:tandem:if-match-required"));
        given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .header("If-Match", "\"7\"")
                .body(changed)
                .when()
                .put("/api/v1/organisations/{id}", org.id())
                .then()
                .statusCode(412);
        given().auth()
                .oauth2(stranger.adminToken())
                .contentType(ContentType.JSON)
                .header("If-Match", "\"0\"")
                .body(changed)
                .when()
                .put("/api/v1/organisations/{id}", org.id())
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .header("If-Match", "\"0\"")
                .body(changed)
                .when()
                .put("/api/v1/organisations/{id}", org.id())
                .then()
                .statusCode(200)
                .body("name", equalTo("Centre renamed"))
                .body("capacity.available", equalTo(0))
                .header("ETag", "\"1\"");
        var updated = events.awaitOne(
                OrganisationUpdated.class,
                e -> e.getOrganisation().getOrganisationId().equals(org.id().toString()),
                Duration.ofSeconds(30));
        assertThat(updated.getOrganisation().getCapacityAvailable()).isZero();
    }

    @Test
    void roles_are_enforced_with_problem_answers() {
        TestOrganisation org = realm.createOrganisation("IE");
        given().auth()
                .oauth2(org.caseworkerToken())
                .contentType(ContentType.JSON)
                .body(profile("X", "IE", "\"LEGAL_ASSISTANCE\"", "\"eng\"", 1))
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
        given().contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        given().auth()
                .oauth2("not-a-token")
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(org.caseworkerToken())
                .when()
                .post("/api/v1/organisations/{id}/approval", org.id())
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(realm.tokenWithoutOrganisation("org-admin"))
                .contentType(ContentType.JSON)
                .body(profile("X", "IE", "\"LEGAL_ASSISTANCE\"", "\"eng\"", 1))
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(403)
                .body("detail", containsString("does not belong to an organisation"));
    }

    @Test
    void bad_input_answers_with_a_problem_that_names_the_field() {
        TestOrganisation org = realm.createOrganisation("FI");
        String token = org.adminToken();
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"broken")
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:tandem:malformed-json"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(profile("X", "FI", "\"SAFE_ACCOMMODATION\",\"TELEPORTATION\"", "\"fin\"", 1))
                .when()
                .post("/api/v1/organisations")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(400)
                .body("errors[0].field", equalTo("services[1]"))
                .body("detail", containsString("SAFE_ACCOMMODATION"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(profile("X", "FI", "\"SAFE_ACCOMMODATION\"", "\"fin\",\"zz\"", 1))
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("languages[1]"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(profile("X", "XX", "\"SAFE_ACCOMMODATION\"", "\"fin\"", 1))
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("country"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(profile("X", "FI", "\"SAFE_ACCOMMODATION\"", "\"fin\"", -2))
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("capacity.available"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"X\",\"favouriteColour\":\"blue\"}")
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(400)
                .body("type", equalTo("urn:problem-type:tandem:unknown-field"))
                .body("errors[0].field", equalTo("favouriteColour"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"" + "x".repeat(70_000) + "\"}")
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        // over the absolute limit of any Tandem request: refused before the body is read, still as a problem
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(new byte[11 * 1024 * 1024])
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(token)
                .when()
                .get("/api/v1/organisations/{id}", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(token)
                .when()
                .get("/api/v1/organisations/not-a-uuid")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void a_retried_application_with_the_same_idempotency_key_is_answered_once() {
        TestOrganisation org = realm.createOrganisation("PT");
        String body = profile("Retry Org", "PT", "\"LEGAL_ASSISTANCE\"", "\"por\"", 1);
        String key = UUID.randomUUID().toString();
        var first = given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(body)
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(201)
                .extract();
        var second = given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(body)
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", "true")
                .extract();
        assertThat(second.header("Location")).isEqualTo(first.header("Location"));
        assertThat(second.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
        given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(body.replace("Retry Org", "Other"))
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:problem-type:tandem:idempotency-key-reused"));
        given().auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/organisations")
                .then()
                .statusCode(409);
    }

    @Test
    void search_finds_approved_organisations_by_country_services_language_and_capacity() {
        String marker = "Zqx" + UUID.randomUUID().toString().substring(0, 6);
        TestOrganisation withRoom = realm.createOrganisation("DE");
        TestOrganisation full = realm.createOrganisation("DE");
        TestOrganisation notApproved = realm.createOrganisation("DE");
        apply(
                withRoom,
                profile(
                        marker + " Haus",
                        "DE",
                        "\"SAFE_ACCOMMODATION\",\"CHILDCARE_AND_MOTHER_SUPPORT\"",
                        "\"deu\",\"bin\"",
                        2));
        apply(
                full,
                profile(
                        marker + " Voll",
                        "DE",
                        "\"SAFE_ACCOMMODATION\",\"CHILDCARE_AND_MOTHER_SUPPORT\"",
                        "\"deu\",\"bin\"",
                        0));
        apply(
                notApproved,
                profile(
                        marker + " Wartend",
                        "DE",
                        "\"SAFE_ACCOMMODATION\",\"CHILDCARE_AND_MOTHER_SUPPORT\"",
                        "\"deu\",\"bin\"",
                        5));
        for (TestOrganisation o : new TestOrganisation[] {withRoom, full}) {
            given().auth()
                    .oauth2(realm.coordinatorToken())
                    .when()
                    .post("/api/v1/organisations/{id}/approval", o.id())
                    .then()
                    .statusCode(200);
        }
        String caseworker = realm.createOrganisation("CY").caseworkerToken();
        given().auth()
                .oauth2(caseworker)
                .queryParams(Map.of("country", "DE", "language", "bin", "q", marker))
                .queryParam("service", "SAFE_ACCOMMODATION")
                .queryParam("service", "CHILDCARE_AND_MOTHER_SUPPORT")
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .body(
                        "items.id",
                        org.hamcrest.Matchers.containsInAnyOrder(
                                withRoom.id().toString(), full.id().toString()));
        // a search reads its organisations with a statement of its own: each item is the organisation's own view
        java.util.List<Map<String, Object>> found = given().auth()
                .oauth2(caseworker)
                .queryParams(Map.of("q", marker))
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
        assertThat(found).hasSize(2);
        for (Map<String, Object> item : found) {
            Map<String, Object> own = given().auth()
                    .oauth2(caseworker)
                    .when()
                    .get("/api/v1/organisations/{id}", item.get("id"))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getMap("");
            assertThat(item).isEqualTo(own).containsKeys("contactHours", "capacity", "eligibility", "version");
        }
        given().auth()
                .oauth2(caseworker)
                .queryParams(Map.of("country", "DE", "hasCapacity", "true", "q", marker))
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains(withRoom.id().toString()));
        var page1 = given().auth()
                .oauth2(caseworker)
                .queryParams(Map.of("q", marker, "limit", "1"))
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("nextCursor", notNullValue())
                .extract()
                .jsonPath();
        given().auth()
                .oauth2(caseworker)
                .queryParams(Map.of("q", marker, "limit", "1", "cursor", page1.getString("nextCursor")))
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].id", not(equalTo(page1.getString("items[0].id"))));
        given().auth()
                .oauth2(caseworker)
                .queryParams(Map.of("limit", "500"))
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }
}
