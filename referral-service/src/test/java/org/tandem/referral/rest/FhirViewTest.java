package org.tandem.referral.rest;

import java.util.List;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.referral.support.Network;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.tandem.referral.support.Referrals.accepted;
import static org.tandem.referral.support.Referrals.draft;
import static org.tandem.referral.support.Referrals.post;

/** The read-only FHIR R4 view: a Bundle of Task, ServiceRequest and (for the sender) Consent. */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class FhirViewTest {

    static Network network;
    static TestOrganisation sender;
    static TestOrganisation receiver;
    static TestOrganisation third;

    @BeforeAll
    static void organisations() {
        network = Network.of("IE", "PT", "SI");
        sender = network.get(0);
        receiver = network.get(1);
        third = network.get(2);
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
    }

    static JsonPath fhir(String token, String id) {
        return given().auth()
                .oauth2(token)
                .accept("application/fhir+json")
                .when()
                .get("/api/v1/referrals/{id}/fhir", id)
                .then()
                .statusCode(200)
                .contentType(containsString("application/fhir+json"))
                .extract()
                .jsonPath();
    }

    @Test
    void the_task_follows_the_lifecycle_and_the_consent_is_shown_to_the_sender_only() {
        String id = accepted(sender, receiver, "EMERGENCY");
        JsonPath forSender = fhir(sender.caseworkerToken(), id);
        assertThat(forSender.getString("resourceType")).isEqualTo("Bundle");
        assertThat(forSender.getString("type")).isEqualTo("collection");
        assertThat(forSender.getList("entry.resource.resourceType", String.class))
                .containsExactly("Task", "ServiceRequest", "Consent");
        assertThat(forSender.getString("entry[0].resource.status")).isEqualTo("accepted");
        assertThat(forSender.getString("entry[0].resource.priority")).isEqualTo("stat");
        assertThat(forSender.getString("entry[0].resource.intent")).isEqualTo("order");
        assertThat(forSender.getString("entry[0].resource.requester.reference"))
                .isEqualTo("Organization/" + sender.id());
        assertThat(forSender.getString("entry[0].resource.owner.reference")).isEqualTo("Organization/" + receiver.id());
        assertThat(forSender.getString("entry[0].resource.focus.reference")).isEqualTo("ServiceRequest/" + id);
        assertThat(forSender.getList("entry[1].resource.code.coding.code", String.class))
                .containsExactly("LEGAL_ASSISTANCE", "SAFE_ACCOMMODATION");
        assertThat(forSender.getString("entry[2].resource.status")).isEqualTo("active");
        assertThat(forSender.getList("entry[2].resource.provision.code.coding.code.flatten()", String.class))
                .containsExactlyInAnyOrder("CHILDREN", "HEALTH", "IDENTITY");
        assertThat(forSender.getString("entry[0].fullUrl")).endsWith("/api/v1/referrals/" + id + "/fhir/Task/" + id);

        JsonPath forReceiver = fhir(receiver.integrationToken(), id);
        assertThat(forReceiver.getList("entry.resource.resourceType", String.class))
                .containsExactly("Task", "ServiceRequest");

        post(receiver.caseworkerToken(), "start", id).statusCode(200);
        post(
                        receiver.caseworkerToken(),
                        "completion",
                        id,
                        "{\"outcome\":\"SERVICES_PROVIDED\",\"note\":\"Secret note\"}")
                .statusCode(200);
        JsonPath done = fhir(sender.caseworkerToken(), id);
        assertThat(done.getString("entry[0].resource.status")).isEqualTo("completed");
        assertThat(done.getString("entry[0].resource.output[0].valueCodeableConcept.coding[0].code"))
                .isEqualTo("SERVICES_PROVIDED");
        assertThat(done.getString("entry[1].resource.status")).isEqualTo("completed");
        assertThat(done.prettify()).doesNotContain("Secret note");
    }

    @Test
    void declined_and_withdrawn_referrals_map_to_rejected_and_cancelled_and_outsiders_get_404() {
        String id = draft(sender, receiver, "ROUTINE");
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        assertThat(fhir(receiver.caseworkerToken(), id).getString("entry[0].resource.status"))
                .isEqualTo("requested");
        post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
        post(receiver.caseworkerToken(), "decline", id, "{\"reason\":\"OUT_OF_AREA\"}")
                .statusCode(200);
        JsonPath declined = fhir(sender.caseworkerToken(), id);
        assertThat(declined.getString("entry[0].resource.status")).isEqualTo("rejected");
        assertThat(declined.getString("entry[0].resource.statusReason.coding[0].code"))
                .isEqualTo("OUT_OF_AREA");
        post(sender.caseworkerToken(), "withdrawal", id).statusCode(200);
        JsonPath withdrawn = fhir(sender.caseworkerToken(), id);
        assertThat(withdrawn.getString("entry[0].resource.status")).isEqualTo("cancelled");
        assertThat(withdrawn.getString("entry[2].resource.status")).isEqualTo("inactive");

        for (String token : List.of(third.caseworkerToken(), third.integrationToken())) {
            given().auth()
                    .oauth2(token)
                    .when()
                    .get("/api/v1/referrals/{id}/fhir", id)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
        }
        given().auth()
                .oauth2(network.realm.coordinatorToken())
                .when()
                .get("/api/v1/referrals/{id}/fhir", id)
                .then()
                .statusCode(403);
    }
}
