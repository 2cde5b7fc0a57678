package org.tandem.referral.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.common.ServiceCode;
import org.tandem.events.registry.MembershipStatus;
import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.events.registry.OrganisationSuspended;
import org.tandem.referral.support.Referrals;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A suspended organisation (OrganisationSuspended on the organisations topic) receives no new referrals,
 * while the referrals it already has stay readable to both parties.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class SuspendedOrganisationTest {

    @Test
    void a_suspended_receiver_gets_no_new_referrals_and_its_open_ones_stay_readable() {
        KeycloakRealm realm = KeycloakRealm.get();
        TestOrganisation sender = realm.createOrganisation("CY");
        TestOrganisation receiver = realm.createOrganisation("DE");
        String body = ReferralApiTest.referral(
                receiver.id(),
                ReferralApiTest.consent(receiver.id(), Instant.now().plus(30, ChronoUnit.DAYS)));
        try (var writer = new EventTopicWriter()) {
            writer.approvedOrganisation(sender, List.of(ServiceCode.LEGAL_ASSISTANCE));
            writer.approvedOrganisation(
                    receiver, List.of(ServiceCode.SAFE_ACCOMMODATION, ServiceCode.LEGAL_ASSISTANCE));
            String open = Referrals.draft(sender, body);
            String draft = Referrals.create(sender.caseworkerToken(), body)
                    .statusCode(201)
                    .extract()
                    .jsonPath()
                    .getString("id");
            given().auth()
                    .oauth2(sender.caseworkerToken())
                    .when()
                    .post("/api/v1/referrals/{id}/submission", open)
                    .then()
                    .statusCode(200);

            var snapshot = OrganisationSnapshot.newBuilder()
                    .setOrganisationId(receiver.id().toString())
                    .setVersion(2)
                    .setCountry("DE")
                    .setMembershipStatus(MembershipStatus.SUSPENDED)
                    .setServices(List.of(ServiceCode.SAFE_ACCOMMODATION))
                    .setLanguages(List.of("deu"))
                    .setWomenOnly(true)
                    .setAcceptsMinors(false)
                    .setAcceptsWomenWithChildren(true)
                    .setKeys(List.of())
                    .build();
            writer.publish(
                    Topics.ORGANISATIONS,
                    receiver.id().toString(),
                    OrganisationSuspended.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                            .setOrganisation(snapshot)
                            .build());

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> Referrals.create(sender.caseworkerToken(), body)
                            .statusCode(422)
                            .contentType("application/problem+json")
                            .body("errors[0].field", equalTo("receiverOrganisationId")));
            // a draft written before the suspension cannot be submitted to it any more
            given().auth()
                    .oauth2(sender.caseworkerToken())
                    .when()
                    .post("/api/v1/referrals/{id}/submission", draft)
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json");
            // the open referral stays readable to both parties
            Referrals.read(sender.caseworkerToken(), open).statusCode(200).body("status", equalTo("SUBMITTED"));
            Referrals.read(receiver.caseworkerToken(), open).statusCode(200);
        }
    }
}
